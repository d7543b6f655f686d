// The organiser page (/organiser.html): sign-in, the conference list, the editor's general, banner and
// agenda tabs, accounts and the audit log.
import { words } from './words.ts';

export const organiserWords = words(
  {
    'org.title': 'Chuẩn bị hội nghị',
  },
  {
    'org.title': 'Prepare a conference',
  },
);

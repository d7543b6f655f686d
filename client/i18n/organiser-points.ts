// The organiser page's points, import, directory, documents, codes and readiness tabs.
import { words } from './words.ts';

export const organiserPointsWords = words(
  {
    'orgp.points': 'Điểm cầu',
  },
  {
    'orgp.points': 'Points',
  },
);

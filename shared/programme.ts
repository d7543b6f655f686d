// The programme as the halls see it: the layout the host chose, the banner message, whether the point
// holding the floor may share its screen, and the gain every display applies to each point's sound.
// Conference state (persisted, logged, in the report), sent to every session in the welcome and on change.
import { z } from 'zod';

/**
 * auto: the banner before the start; the centre; the speaker large with the centre beside it while a point
 * holds the floor; slides large with the speaker inset while someone shares. The others hold one picture:
 * centre only, speaker only (the centre when nobody holds the floor), slides with the speaker inset, the
 * speaker and the centre side by side, the banner with the host's message.
 */
export const Layout = z.enum(['auto', 'centre', 'speaker', 'slides', 'side_by_side', 'banner']);
export type Layout = z.infer<typeof Layout>;
export const LAYOUTS = Layout.options;

/** Gains the host may set per point, in dB (the displays apply them to that point's sound). */
export const GAIN_DB_MIN = -20;
export const GAIN_DB_MAX = 20;
export const GainDb = z.number().min(GAIN_DB_MIN).max(GAIN_DB_MAX);

/** The banner layout's message, one or two lines under the banner. */
export const BANNER_MESSAGE_MAX = 200;

export const ProgrammeView = z.object({
  layout: Layout,
  /** Shown with the banner in the 'banner' layout ('' for none). */
  message: z.string(),
  /** Whether the point holding the floor may share a screen (a rapporteur's slides). */
  pointSharing: z.boolean(),
  /** dB per point id (the centre included); a point not listed plays at 0 dB. */
  gains: z.record(z.string(), z.number()),
});
export type ProgrammeView = z.infer<typeof ProgrammeView>;

export const DEFAULT_PROGRAMME: ProgrammeView = { layout: 'auto', message: '', pointSharing: false, gains: {} };

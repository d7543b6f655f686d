// The programme mixer's filter graph: what the halls' screens show (client/ui/layout.ts, stage.ts,
// layouts.css, banner.ts), drawn by ffmpeg at 1280×720 and 25 fps from the relay's four streams
// (0 video `main`, 1 video `second`, 2 audio `centre`, 3 audio `floor`).
//
// Geometry (the hall's container units, 1 cqw = 12.8 px, rounded to even pixels for 4:2:0):
//   single  main fills the frame, aspect kept (black bars)
//   beside  main 972×548 at (20,20); second 256×144 in the right column at (1004,20), white 2 px outline
//   inset   as beside, the second at the bottom of the column (1004,556)
//   split   two halves 614×346 at (20,148) and (646,148)
//   banner  the maket: yellow ground, red region / heading / subject lines / date, the host's message in a
//           red band at the bottom; no pictures
// The lower third (speaking point, agenda item) sits bottom left, over the picture in single and in the band
// under the pictures otherwise; never over the banner. Name cards: the point's name over its slot (the relay
// sends a dark filler for a card's slot).
//
// Every composition is computed from main's frames (fps=25 first, so the whole graph ticks at 25 fps), the
// second picture overlaid on it; two streamselects pick the picture composition and banner-or-pictures, so a
// switch is one `map` command. Sizes: main and second are each fitted once into their largest box (scale +
// pad with eval=frame, so a source that changes resolution mid-stream needs no graph rebuild), and the
// smaller boxes are scaled from that fitted frame.
export type Composition = 'single' | 'beside' | 'inset' | 'split' | 'banner';
export const COMPOSITIONS: readonly Composition[] = ['single', 'beside', 'inset', 'split', 'banner'];
/** The picture compositions in the order of the `pictures` streamselect's inputs. */
const PICTURES: readonly Composition[] = ['single', 'beside', 'inset', 'split'];

/** The text files drawtext reads (names under `<workDir>/text/`). */
export const TEXT_FILES = [
  'lower',
  'card-main',
  'card-second',
  'banner-region',
  'banner-title',
  'banner-sub-0',
  'banner-sub-1',
  'banner-sub-2',
  'banner-date',
  'banner-message',
] as const;
export type TextFile = (typeof TEXT_FILES)[number];

export const WIDTH = 1280;
export const HEIGHT = 720;
export const FPS = 25;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where each picture goes, per composition. */
export const GEOMETRY = {
  full: { x: 0, y: 0, w: WIDTH, h: HEIGHT },
  besideMain: { x: 20, y: 20, w: 972, h: 548 },
  besideSecond: { x: 1004, y: 20, w: 256, h: 144 },
  insetSecond: { x: 1004, y: 556, w: 256, h: 144 },
  splitMain: { x: 20, y: 148, w: 614, h: 346 },
  splitSecond: { x: 646, y: 148, w: 614, h: 346 },
} as const satisfies Record<string, Box>;

export const COLOURS = {
  stage: '0x0a1222',
  bannerGround: '0xffd400',
  bannerText: '0xc8102e',
  onAir: '0xd7141a',
  lowerBox: '0x14305f',
  outline: '0xffffff',
} as const;

/** Font sizes in px (the hall's cqw sizes × 12.8). */
export const FONT_SIZES = {
  lower: 32,
  cardFull: 70,
  cardBeside: 56,
  cardSmall: 19,
  cardSplit: 38,
  bannerRegion: 56,
  bannerTitle: 80,
  bannerSub: 40,
  bannerDate: 30,
  bannerMessage: 32,
} as const;

/** The `map` argument of each streamselect for a composition. */
export function selectFor(c: Composition): { pictures: number | null; banner: number } {
  const index = PICTURES.indexOf(c);
  return { pictures: index < 0 ? null : index, banner: c === 'banner' ? 1 : 0 };
}

export interface GraphOptions {
  /** Directory of the text files (one per TEXT_FILES entry; they must exist before ffmpeg starts). */
  textDir: string;
  font: string;
  boldFont: string;
  initial: Composition;
}

/** Escapes a value for a filter option, then for the filter graph (ffmpeg-filters, "Notes on filtergraph escaping"). */
export function escapeValue(value: string): string {
  const option = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return option.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** Fits a video into w×h, aspect kept, black bars; copes with an input whose size changes. */
function fitInto(w: number, h: number, colour = 'black'): string {
  return (
    `scale=w=${w}:h=${h}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bilinear,` +
    `pad=w=${w}:h=${h}:x=(ow-iw)/2:y=(oh-ih)/2:color=${colour}:eval=frame,setsar=1`
  );
}

interface TextSpec {
  file: TextFile;
  size: number;
  bold?: boolean;
  colour: string;
  x: string;
  y: string;
  box?: string;
  border?: number;
}

function drawtext(o: GraphOptions, t: TextSpec): string {
  const opts = [
    `fontfile=${escapeValue(t.bold ? o.boldFont : o.font)}`,
    `textfile=${escapeValue(`${o.textDir}/${t.file}.txt`)}`,
    // Read again every 5 frames (0.2 s): the mixer replaces the files atomically (rename).
    'reload=5',
    'expansion=none',
    `fontsize=${t.size}`,
    `fontcolor=${t.colour}`,
    'line_spacing=8',
    `x=${t.x}`,
    `y=${t.y}`,
  ];
  if (t.box) opts.push('box=1', `boxcolor=${t.box}`, `boxborderw=${t.border ?? 10}`);
  return `drawtext=${opts.join(':')}`;
}

/** The name on a card, centred in its slot. */
function card(o: GraphOptions, file: 'card-main' | 'card-second', b: Box, size: number): string {
  const x = `${b.x}+(${b.w}-text_w)/2`;
  const y = `${b.y}+(${b.h}-text_h)/2`;
  return drawtext(o, { file, size, bold: true, colour: 'white', x, y, box: '0x05080f@0.55', border: Math.round(size / 3) });
}

/** A line of the banner, centred horizontally. */
function bannerLine(o: GraphOptions, file: TextFile, size: number, y: number, bold = true): string {
  return drawtext(o, { file, size, bold, colour: COLOURS.bannerText, x: '(w-text_w)/2', y: String(y) });
}

/** The video part: `[vout]` at 1280×720, 25 fps, yuv420p. */
export function videoGraph(o: GraphOptions): string[] {
  const g = GEOMETRY;
  const sel = selectFor(o.initial);
  const bg = COLOURS.stage;
  const at = (b: Box) => `x=${b.x}:y=${b.y}`;
  const outline = `pad=w=iw+4:h=ih+4:x=2:y=2:color=${COLOURS.outline}`;
  const second = (b: Box) => `x=${b.x - 2}:y=${b.y - 2}`;
  const lower = (x: string, colour: string, box: string) =>
    drawtext(o, { file: 'lower', size: FONT_SIZES.lower, bold: true, colour, x, y: 'h-53-text_h', box, border: 12 });
  return [
    // The swap: which relay stream is the main picture. Two streamselects with one name, switched together by
    // one `C` command (ffmpeg 5.1's streamselect cannot have two outputs), so a picture already on screen can
    // become the main one without the relay moving it to another stream (which would wait for a key frame).
    '[0:0]split[ma][mb0]',
    '[0:1]split[sa][sb0]',
    '[ma][sa]streamselect@swap=inputs=2:map=0[vmain]',
    '[sb0][mb0]streamselect@swap=inputs=2:map=0[vsecond]',
    // main: 25 fps, fitted to the frame once; the smaller sizes from that.
    `[vmain]fps=${FPS},${fitInto(WIDTH, HEIGHT)},format=yuv420p,split=4[mfull][mb][ms][mban]`,
    `[mb]scale=${g.besideMain.w}:${g.besideMain.h}:flags=bilinear,pad=${WIDTH}:${HEIGHT}:${at(g.besideMain)}:color=${bg},split=2[bb][bi]`,
    `[ms]scale=${g.splitMain.w}:${g.splitMain.h}:flags=bilinear,pad=${WIDTH}:${HEIGHT}:${at(g.splitMain)}:color=${bg}[bs]`,
    // second: fitted to the half once, the column size from that.
    `[vsecond]${fitInto(g.splitSecond.w, g.splitSecond.h)},format=yuv420p,split=2[shalf][s2]`,
    `[s2]scale=${g.besideSecond.w}:${g.besideSecond.h}:flags=bilinear,${outline},split=2[sb][si]`,
    // The picture compositions.
    `[mfull]${card(o, 'card-main', g.full, FONT_SIZES.cardFull)}[csingle]`,
    `[bb][sb]overlay=${second(g.besideSecond)}:eof_action=repeat,` +
      `${card(o, 'card-main', g.besideMain, FONT_SIZES.cardBeside)},` +
      `${card(o, 'card-second', g.besideSecond, FONT_SIZES.cardSmall)}[cbeside]`,
    `[bi][si]overlay=${second(g.insetSecond)}:eof_action=repeat,` +
      `${card(o, 'card-main', g.besideMain, FONT_SIZES.cardBeside)},` +
      `${card(o, 'card-second', g.insetSecond, FONT_SIZES.cardSmall)}[cinset]`,
    `[bs][shalf]overlay=${at(g.splitSecond)}:eof_action=repeat,` +
      `${card(o, 'card-main', g.splitMain, FONT_SIZES.cardSplit)},` +
      `${card(o, 'card-second', g.splitSecond, FONT_SIZES.cardSplit)}[csplit]`,
    `[csingle][cbeside][cinset][csplit]streamselect@pictures=inputs=4:map=${sel.pictures ?? 0}[pictures]`,
    // The lower third: drawn twice, a red box under a blue one shifted 8 px right, so a red rule shows on its
    // left; nothing at all is drawn while the file is empty.
    `[pictures]${lower('44', COLOURS.onAir, COLOURS.onAir)},${lower('52', 'white', COLOURS.lowerBox)}[lowered]`,
    // The banner: a yellow frame made from main's (so it keeps main's timing), then its lines.
    `[mban]crop=2:2:0:0,pad=${WIDTH}:${HEIGHT}:0:0:color=${COLOURS.bannerGround},` +
      `drawbox=x=0:y=0:w=2:h=2:color=${COLOURS.bannerGround}:t=fill,` +
      [
        bannerLine(o, 'banner-region', FONT_SIZES.bannerRegion, 96),
        bannerLine(o, 'banner-title', FONT_SIZES.bannerTitle, 180),
        bannerLine(o, 'banner-sub-0', FONT_SIZES.bannerSub, 300),
        bannerLine(o, 'banner-sub-1', FONT_SIZES.bannerSub, 352),
        bannerLine(o, 'banner-sub-2', FONT_SIZES.bannerSub, 404),
        bannerLine(o, 'banner-date', FONT_SIZES.bannerDate, 476, false),
        drawtext(o, {
          file: 'banner-message',
          size: FONT_SIZES.bannerMessage,
          bold: true,
          colour: 'white',
          x: '(w-text_w)/2',
          y: 'h-57-text_h',
          box: COLOURS.bannerText,
          border: 16,
        }),
      ].join(',') +
      '[cbanner]',
    // Square pixels whatever the composition: the beside and split boxes are not exactly 16:9, and scale would
    // otherwise carry the difference into the stream's aspect (a player showed 1283×720).
    `[lowered][cbanner]streamselect@banner=inputs=2:map=${sel.banner},format=yuv420p,setsar=1[vout]`,
  ];
}

/** The audio part: `[aout]`, both sounds decoded, each with its gain in dB, mixed without normalisation. */
export function audioGraph(): string[] {
  return [
    '[0:2]aresample=async=1,volume@centre=volume=0dB[acentre]',
    '[0:3]aresample=async=1,volume@floor=volume=0dB[afloor]',
    '[acentre][afloor]amix=inputs=2:normalize=0:duration=longest:dropout_transition=0,' +
      'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[aout]',
  ];
}

export function filterGraph(o: GraphOptions): string {
  return [...videoGraph(o), ...audioGraph()].join(';\n');
}

/** The stdin command line (for `C`: every filter of that name) that makes relay stream 1 the main picture (or 0). */
export function swapCommand(swapped: boolean): string {
  return `streamselect@swap -1 map ${swapped ? 1 : 0}`;
}

/** The stdin command lines (without the leading `c`) that switch to a composition. */
export function compositionCommands(c: Composition): string[] {
  const sel = selectFor(c);
  const lines: string[] = [];
  if (sel.pictures !== null) lines.push(`streamselect@pictures -1 map ${sel.pictures}`);
  lines.push(`streamselect@banner -1 map ${sel.banner}`);
  return lines;
}

/** Splits text into at most `lines` lines of about `chars` characters, at spaces (the last one cut). */
export function wrap(text: string, chars: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > chars) {
      out.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  if (out.length <= lines) return out;
  const kept = out.slice(0, lines);
  const last = `${kept[lines - 1]} ${out.slice(lines).join(' ')}`.slice(0, chars - 1).trimEnd();
  kept[lines - 1] = `${last}…`;
  return kept;
}

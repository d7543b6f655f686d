// A join link and its QR code, drawn on a canvas by node-qrcode (no markup from text: the CSP holds).
import QRCode from 'qrcode';

/** The link that opens the hub's page with a join code filled in. */
export const joinLink = (code: string): string => `${location.origin}/?code=${encodeURIComponent(code)}`;

/** A canvas showing `text` as a QR code (drawn as soon as the library is done; errors leave it blank). */
export function qrCanvas(text: string, size = 168): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = 'qr';
  canvas.dataset['qr'] = text;
  canvas.width = size;
  canvas.height = size;
  QRCode.toCanvas(canvas, text, { width: size, margin: 2, errorCorrectionLevel: 'M' }).catch((error: unknown) =>
    console.error('QR code not drawn', error),
  );
  return canvas;
}

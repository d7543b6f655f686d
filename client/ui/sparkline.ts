// A tiny canvas chart of two series (bitrate and loss) over the last minute: no chart library needed.
export interface Sample {
  bitrateKbps: number;
  lossPercent: number;
}

const MAX_SAMPLES = 60;

export class Sparkline {
  readonly el: HTMLCanvasElement;
  readonly #samples: Sample[] = [];

  constructor(width = 180, height = 36) {
    this.el = document.createElement('canvas');
    this.el.className = 'sparkline';
    this.el.width = width;
    this.el.height = height;
    this.el.setAttribute('role', 'img');
  }

  push(sample: Sample): void {
    this.#samples.push(sample);
    if (this.#samples.length > MAX_SAMPLES) this.#samples.shift();
    this.draw();
  }

  clear(): void {
    this.#samples.length = 0;
    this.draw();
  }

  draw(): void {
    const ctx = this.el.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.el;
    ctx.clearRect(0, 0, width, height);
    const n = this.#samples.length;
    if (n < 2) return;
    const maxRate = Math.max(300, ...this.#samples.map((s) => s.bitrateKbps));
    const line = (value: (s: Sample) => number, max: number, colour: string): void => {
      ctx.beginPath();
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      this.#samples.forEach((s, i) => {
        const x = (i / (MAX_SAMPLES - 1)) * width;
        const y = height - 2 - (Math.min(value(s), max) / max) * (height - 4);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.stroke();
    };
    line((s) => s.bitrateKbps, maxRate, '#4ea8ff');
    line((s) => s.lossPercent, 20, '#ff5a52');
  }
}

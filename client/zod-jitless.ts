// Imported first by main.ts, before any schema is built: zod then never probes `new Function`, which the
// page's Content-Security-Policy (script-src 'self', no 'unsafe-eval') would report as a violation.
import { z } from 'zod';

z.config({ jitless: true });

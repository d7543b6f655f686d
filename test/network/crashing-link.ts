// Run by link.test.ts: makes a link, prints its namespace, and waits to be killed (a crashed test run).
import { NetLink } from '../../scripts/netem/link.ts';

const link = await NetLink.create();
console.log(link.ns);
setInterval(() => undefined, 1000);

// `npm start`: builds when the build is missing or older than the sources, then serves.
import { BUILT, buildIfStale } from './build-if-stale.js';

buildIfStale();
await import(`../${BUILT}`);

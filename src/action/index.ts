/** Entry point of the bundled action (dist/index.js); all logic is in main.ts. */
import { run } from './main';

void run();

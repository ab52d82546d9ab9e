// Entry of the embedded store's worker thread (see store-thread.ts): loads the TypeScript
// store whether or not the application's loader reached this thread.
import { tsImport } from 'tsx/esm/api';

await tsImport('./store-thread.main.ts', import.meta.url);

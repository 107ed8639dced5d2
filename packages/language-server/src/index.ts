export { startServer, runTest, RUN_TEST_COMMAND, type TestOutcome } from './server.ts';
export { startStdioServer } from './stdio.ts';

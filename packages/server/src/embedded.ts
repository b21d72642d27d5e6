// `declog/embedded`: a process's own decision log, for the SDK's embedded mode. Loading it
// loads no native module on the caller's thread: the database is opened on a thread of its own.
export {
  openEmbeddedLog,
  type EmbeddedAnswer,
  type EmbeddedLog,
  type EmbeddedLogOptions,
} from './runtime/embedded-log.js';

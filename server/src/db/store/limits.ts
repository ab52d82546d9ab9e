/** The limits this server advertises in hello and enforces, MongoDB's own values. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_BYTES = 48_000_000;
export const MAX_WRITE_BATCH_SIZE = 100_000;

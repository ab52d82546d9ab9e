import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiErrorBody } from '../../../shared/api';
import { AppError, NotFoundError, TooManyRequestsError } from '../errors';
import type { Logger } from '../logger';

interface BodyParserError {
  type?: string;
  status?: number;
}

function fromBodyParser(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  const { type } = err as BodyParserError;
  switch (type) {
    case 'entity.parse.failed':
      return new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new AppError(413, 'payload_too_large', 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(
        415,
        'unsupported_encoding',
        'The request body encoding is not supported.',
      );
    case 'request.aborted':
      return new AppError(400, 'request_aborted', 'The request was aborted.');
    default:
      return undefined;
  }
}

/** Unknown API routes answer the error envelope, not Express's HTML page. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(
    new NotFoundError(
      'route_not_found',
      `No API route for ${req.method} ${req.originalUrl.split('?')[0]}.`,
    ),
  );
};

/** Renders every error as `{error:{code,message,details?}}`; unknown errors become a bare 500. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const known = err instanceof AppError ? err : fromBodyParser(err);
    if (!known) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
      const body: ApiErrorBody = {
        error: { code: 'internal_error', message: 'Something went wrong on our side.' },
      };
      res.status(500).json(body);
      return;
    }
    if (known instanceof TooManyRequestsError && known.retryAfterSeconds) {
      res.setHeader('Retry-After', String(known.retryAfterSeconds));
    }
    const body: ApiErrorBody = { error: { code: known.code, message: known.message } };
    if (known.details !== undefined) body.error.details = known.details;
    res.status(known.status).json(body);
  };
}

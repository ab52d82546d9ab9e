/** The error envelope every non-2xx API response carries. */
export interface ApiErrorBody {
  error: {
    /** Stable snake_case code; clients branch on this, never on the message. */
    code: string;
    message: string;
    details?: unknown;
  };
}

export interface HealthResponse {
  status: 'ok';
  db: 'mongodb' | 'embedded';
  version: string;
}

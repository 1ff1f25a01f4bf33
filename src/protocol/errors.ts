/**
 * MLflow's error codes and the HTTP status the reference server maps each to.
 * Codes not listed map to 500, as in MLflow.
 */
const STATUS_BY_CODE = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  NOT_FOUND: 404,
  ABORTED: 409,
  RESOURCE_CONFLICT: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL_ERROR: 500,
  INVALID_STATE: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;

type ErrorCode = keyof typeof STATUS_BY_CODE;

/**
 * An error the client sees as `{"error_code", "message"}` with MLflow's status.
 *
 * @example
 * throw new MlflowError("RESOURCE_DOES_NOT_EXIST", `Run '${id}' not found`);
 */
export class MlflowError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }

  toJSON(): { error_code: ErrorCode; message: string } {
    return { error_code: this.code, message: this.message };
  }
}

export const invalidParameter = (message: string) => new MlflowError("INVALID_PARAMETER_VALUE", message);
export const notFound = (message: string) => new MlflowError("RESOURCE_DOES_NOT_EXIST", message);
export const alreadyExists = (message: string) => new MlflowError("RESOURCE_ALREADY_EXISTS", message);

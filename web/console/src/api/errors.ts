import i18n from '../i18n';

/** One invalid field of a 400 `invalid_input`: `{field: "new_password", code, message}`. */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

/** An answer of the API that is not a success, with its stable code and the message in the
 * user's language (the API localises by Accept-Language); `status` 0 is "no answer at all". */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: FieldProblem[] = [],
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.details = details;
  }
}

interface ErrorBody {
  error?: {
    code?: unknown;
    message?: unknown;
    fields?: unknown;
    [detail: string]: unknown;
  };
}

function isFieldProblem(value: unknown): value is FieldProblem {
  return typeof value === 'object' && value !== null && 'field' in value && 'code' in value;
}

/** Our error shape (`{"error": {"code", "message", "fields", …}}`) as an ApiError; anything
 * else (a proxy's HTML page, an empty body) as a generic one in the user's language. */
export function errorFrom(status: number, body: unknown): ApiError {
  const error = (body as ErrorBody | null)?.error;
  if (!error || typeof error.code !== 'string') {
    return new ApiError(status, 'internal_error', i18n.t('error.unexpected'));
  }
  const { code, message, fields, ...details } = error;
  delete details.messages; // both languages: `message` is already the user's
  const text = typeof message === 'string' && message ? message : i18n.t('error.unexpected');
  const problems = Array.isArray(fields) ? fields.filter(isFieldProblem) : [];
  return new ApiError(status, code, text, problems, details);
}

/** No answer at all (offline, the API down, a CORS refusal). */
export function networkError(): ApiError {
  return new ApiError(0, 'network_error', i18n.t('error.network'));
}

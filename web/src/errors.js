// Turns an ApiError (problem+json) into words for people. The API's `detail` is the message; a few
// codes get a more specific sentence or an action in the screen that knows the context.

import {ApiError} from './api.js';

const FALLBACK = {
  InvalidRequest: 'The request was not accepted. Check the fields and try again.',
  InvalidPassword: 'That password does not meet the password policy.',
  InvalidCredentials: 'The e-mail or password is wrong.',
  CodeMismatch: 'That code is wrong. Check it and try again.',
  ExpiredCode: 'That code has expired. Ask for a new one.',
  UserNotConfirmed: 'This account is not confirmed yet. Enter the code we e-mailed you.',
  PasswordResetRequired: 'A password reset is required for this account. Use "Forgot password".',
  MfaRequired: 'A one-time code is required.',
  Unauthorized: 'Your session has ended. Please sign in again.',
  Forbidden: 'You are not allowed to do that.',
  NotFound: 'Not found. It may have been deleted.',
  Conflict: 'That conflicts with the current state.',
  PreconditionFailed: 'Someone changed this since you loaded it.',
  TooManyRequests: 'Too many requests. Wait a moment and try again.',
  ServiceUnavailable: 'The service is temporarily unavailable. Try again shortly.',
  InternalError: 'Something went wrong on our side. Try again later.',
  NetworkError: 'Could not reach the API.',
  Timeout: 'The API did not answer in time.',
};

/** A one-line message for an error of any kind. */
export function messageFor(error) {
  if (!(error instanceof ApiError)) {
    return `Unexpected error: ${error?.message ?? error}`;
  }
  let message = error.detail || FALLBACK[error.code] || error.title || `Request failed (HTTP ${error.status}).`;
  if (error.code === 'TooManyRequests' && error.retryAfter) {
    message += ` You can retry in ${error.retryAfter} s.`;
  }
  return message;
}

/** Extra text shown under the message (e.g. the request ID to quote to support). */
export function supportLine(error) {
  return error instanceof ApiError && error.requestId ? `Request ID: ${error.requestId}` : '';
}

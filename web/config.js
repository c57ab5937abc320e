// Deployment settings of the web client. Edit this file (or run `npm run build -- --api-url <url>`,
// which also adds the API's origin to the Content-Security-Policy) when you deploy the client as
// static files against the API on AWS.
export default {
  // The API's base URL including the stage, e.g. 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev'.
  // Empty: this page's own origin, which is right when the local stack serves the client at /app/.
  apiBaseUrl: '',
  // Show the local outbox (GET /_local/outbox) beside code fields: 'auto' = when the API is on
  // localhost / 127.0.0.1; true or false to force it.
  localOutbox: 'auto',
  // The roles the admin screens offer (the template parameter Roles); roles a user already has are
  // always shown too.
  roles: ['user', 'admin'],
};

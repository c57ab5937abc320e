// Loaded with `node --require` before cognito-local. The local stack (a JVM) starts cognito-local
// with a pipe on its standard input and never writes to it: when the JVM goes away, even if it was
// killed and could not stop its children, the pipe closes and this process ends too. No orphans.
'use strict';
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

// gRPC interceptors: request context on the server, deadlines and auth on the client.
import { AsyncLocalStorage } from 'node:async_hooks';
import * as grpc from '@grpc/grpc-js';

interface CallContext {
  method: string;
  startedAt: number;
}

export const callContext = new AsyncLocalStorage<CallContext>();
const recentCalls: grpc.ServerInterceptingCallInterface[] = [];
let callsSeen = 0;

/** Wrong: enterWith inside a server interceptor. */
export const contextInterceptor: grpc.ServerInterceptor = (methodDescriptor, call) => {
  callContext.enterWith({ method: methodDescriptor.path, startedAt: Date.now() }); // expect: als-enter-with
  return new grpc.ServerInterceptingCall(call);
};

/** Wrong: every intercepted call is kept for the admin page. */
export const recordingInterceptor: grpc.ServerInterceptor = (methodDescriptor, call) => {
  callsSeen++;
  recentCalls.push(call); // expect: request-object-escapes, unbounded-request-store
  return new grpc.ServerInterceptingCall(call, {
    start: (next) => next({ onReceiveMessage: (message, nextMessage) => nextMessage(message) }),
  });
};

/** Correct: a counter, and the interceptor passes straight through. */
export const countingInterceptor: grpc.ServerInterceptor = (_methodDescriptor, call) => {
  callsSeen++;
  return new grpc.ServerInterceptingCall(call);
};

/** Correct client interceptor: adds a token and always hands the call on. */
export const authInterceptor: grpc.Interceptor = (options, nextCall) => {
  return new grpc.InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      metadata.set('authorization', `Bearer ${process.env.SERVICE_TOKEN ?? ''}`);
      next(metadata, listener);
    },
  });
};

export function interceptorStats(): { callsSeen: number; recent: number } {
  return { callsSeen, recent: recentCalls.length };
}

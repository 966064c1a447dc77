// NestJS interceptors: slow-request warnings, response timing, and a request deadline.
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { defer, finalize, Observable, tap } from 'rxjs';
import { logger } from '../lib/logger.js';

@Injectable()
export class SlowRequestInterceptor implements NestInterceptor {
  // Wrong: the warning timer holds the request until it fires, even after the response is long gone.
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    setTimeout(() => {
      logger.warn('slow request', { method: req.method, url: req.originalUrl }); // expect: request-object-escapes
    }, 10_000);
    return next.handle();
  }
}

@Injectable()
export class TimingInterceptor implements NestInterceptor {
  // Correct: the timer is cleared when the handler's observable finishes.
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const started = Date.now();
    const warn = setTimeout(() => logger.warn('slow request', { url: req.originalUrl }), 10_000);
    return next.handle().pipe(
      tap(() => res.setHeader('x-response-time', `${Date.now() - started}ms`)),
      finalize(() => clearTimeout(warn)),
    );
  }
}

@Injectable()
export class ProgressInterceptor implements NestInterceptor {
  // Wrong: a progress ticker per request, never cleared.
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    let ticks = 0;
    setInterval(() => { // expect: timer-without-cleanup
      ticks++;
      if (ticks % 10 === 0) logger.info('still working', { url: req.originalUrl, seconds: ticks });
    }, 1_000);
    return next.handle();
  }
}

@Injectable()
export class LazyInterceptor implements NestInterceptor {
  // Correct: defer() returns an Observable built by a callback that returns next.handle().
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    return defer(() => {
      logger.debug('handling', { url: req.originalUrl });
      return next.handle();
    });
  }
}

@Injectable()
export class LastRequestInterceptor implements NestInterceptor {
  private lastRequest?: Request;

  // Wrong: the singleton keeps the last request object (and its body and socket) alive.
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    this.lastRequest = req; // expect: request-object-escapes, request-state-in-module-variable
    return next.handle();
  }

  describeLast(): string {
    return this.lastRequest ? `${this.lastRequest.method} ${this.lastRequest.originalUrl}` : 'none';
  }
}

// NestJS module wiring for the billing service, and the bootstrap.
import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InvoicesController } from './invoices.controller.js';
import { PaymentsController } from './payments.controller.js';
import { MaintenanceMiddleware, ScopedContextMiddleware, TenantMiddleware } from './tenant.middleware.js';
import { AuditContext, CurrencyRates, FeatureFlags, MetricsService } from './metrics.service.js';
import { ApiKeyGuard, SessionRegistry } from './auth.guard.js';

@Module({
  controllers: [InvoicesController, PaymentsController],
  providers: [MetricsService, FeatureFlags, CurrencyRates, AuditContext, ApiKeyGuard, SessionRegistry],
})
export class BillingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ScopedContextMiddleware, TenantMiddleware, MaintenanceMiddleware).forRoutes('*');
  }
}

export async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(BillingModule);
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3200));
}

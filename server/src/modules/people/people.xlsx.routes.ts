import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db/db';

/** People import template, import and export (XLSX). */
export const peopleXlsxRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (_app, _opts) => {};

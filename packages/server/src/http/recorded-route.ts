import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Permission } from '@declog/core';
import { isDeclogError } from '../errors.js';
import type { Answer } from '../services/answer.js';
import type { RequestKind } from '../services/governance/rate-limiter.js';
import { ERROR_STATUS } from './error-status.js';
import { sendJson } from './http-replies.js';
import {
  recordAccess,
  requestAccess,
  type AccessDeps,
  type RequestAccess,
} from './request-access.js';

/** What a recorded route's handler answers: the JSON (or text) and its access entry's facts. */
export type RecordedAnswer = Answer & {
  readonly tenant?: string;
  readonly status?: number;
  readonly details?: Readonly<Record<string, string>>;
};

export interface RecordedOptions {
  readonly permission: Permission;
  readonly action: string;
  readonly kind?: RequestKind;
  readonly text?: boolean;
}

export type Recorded = (
  request: FastifyRequest,
  reply: FastifyReply,
  options: RecordedOptions,
  handler: (access: RequestAccess) => Promise<RecordedAnswer>,
) => Promise<FastifyReply>;

/**
 * The wrapper of every route that reads or changes governed data: it answers a request that
 * needs `permission` by authenticating it, running `handler` for its tenant, and recording the
 * answer (or a refusal of bad input) in the tenant's access trail before sending it. Nothing
 * is sent unless its access entry is stored.
 */
export function recordedRoute(deps: AccessDeps): Recorded {
  /**
   * Answers a request that needs `permission`: authenticates it, runs `handler` for its
   * tenant, and records the answer (or a refusal of bad input) in the tenant's access trail
   * before sending it. Nothing is sent unless its access entry is stored.
   */
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: RecordedOptions,
    handler: (access: RequestAccess) => Promise<RecordedAnswer>,
  ): Promise<FastifyReply> => {
    const access = await requestAccess(deps, request, options.permission, options.kind ?? 'read');
    let answer;
    try {
      answer = await handler(access);
    } catch (error) {
      if (isDeclogError(error) && ERROR_STATUS[error.code] < 500) {
        await recordAccess(deps, request, access, {
          action: options.action,
          records: 0,
          status: ERROR_STATUS[error.code],
        });
      }
      throw error;
    }
    await recordAccess(deps, request, access, {
      action: options.action,
      records: answer.records,
      ...(answer.tenant !== undefined ? { tenant: answer.tenant } : {}),
      ...(answer.status !== undefined ? { status: answer.status } : {}),
      ...(answer.details !== undefined ? { details: answer.details } : {}),
      ...(answer.subjects !== undefined ? { subjects: answer.subjects } : {}),
    });
    if (answer.status !== undefined) reply.status(answer.status);
    return options.text
      ? reply.type('text/plain; charset=utf-8').send(answer.json)
      : sendJson(reply, answer.json);
  };
}

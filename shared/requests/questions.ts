// The moderated question queue: points submit and edit, moderators accept, order, answer, dismiss.
import { z } from 'zod';
import { QuestionStats, QuestionStatus, QuestionView } from '../records.ts';
import { LIMITS, MODERATORS, QUESTION_WRITERS, RECORD_READERS } from '../rules.ts';
import { type RequestTable, id, empty, floorSeconds } from './common.ts';

const questionId = id;
const questionFields = {
  asker: z.string().trim().min(1).max(LIMITS.askerMax),
  unit: z.string().trim().max(LIMITS.unitMax),
  category: z.string().trim().min(1).max(LIMITS.categoryMax),
  text: z.string().trim().min(1).max(LIMITS.questionTextMax),
};
const questionResult = QuestionView;

export const questionRequests = {
  'question.submit': {
    params: z.object({ ...questionFields, unit: questionFields.unit.default('') }).strict(),
    result: questionResult,
    roles: QUESTION_WRITERS,
  },
  /** A point corrects its own question while it is still only submitted. */
  'question.edit': {
    params: z
      .object({
        questionId,
        asker: questionFields.asker.optional(),
        unit: questionFields.unit.optional(),
        category: questionFields.category.optional(),
        text: questionFields.text.optional(),
      })
      .strict(),
    result: questionResult,
    roles: QUESTION_WRITERS,
  },
  /** Moderators see every question; a point sees its own. */
  'question.list': {
    params: z
      .object({ status: QuestionStatus.optional(), category: z.string().max(LIMITS.categoryMax).optional(), pointId: id.optional() })
      .strict(),
    result: z.object({ questions: z.array(QuestionView) }),
    roles: RECORD_READERS,
  },
  'question.stats': { params: empty, result: QuestionStats, roles: MODERATORS },
  'question.accept': { params: z.object({ questionId }).strict(), result: questionResult, roles: MODERATORS },
  'question.reorder': {
    params: z.object({ questionId, position: z.number().int().min(1).max(100_000) }).strict(),
    result: questionResult,
    roles: MODERATORS,
  },
  'question.categorise': {
    params: z.object({ questionId, category: questionFields.category }).strict(),
    result: questionResult,
    roles: MODERATORS,
  },
  'question.merge': { params: z.object({ questionId, intoId: questionId }).strict(), result: questionResult, roles: MODERATORS },
  /** Marks a question as being answered; the host may give the floor to the asking point in the same step. */
  'question.answering': {
    params: z.object({ questionId, giveFloor: z.boolean().default(false), seconds: floorSeconds.optional() }).strict(),
    result: questionResult,
    roles: MODERATORS,
  },
  'question.answered': {
    params: z
      .object({ questionId, mode: z.enum(['live', 'written']), answer: z.string().trim().max(LIMITS.answerMax).optional() })
      .strict()
      .refine((p) => p.mode === 'live' || (p.answer ?? '').length > 0, {
        path: ['answer'],
        message: 'a written answer needs its text',
      }),
    result: questionResult,
    roles: MODERATORS,
  },
  'question.dismiss': {
    params: z.object({ questionId, reason: z.string().trim().min(1).max(LIMITS.dismissReasonMax) }).strict(),
    result: questionResult,
    roles: MODERATORS,
  },
} as const satisfies RequestTable;

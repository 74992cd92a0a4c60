/**
 * An engine issue in the user's language: the engine says which sentence it is (`key`,
 * `hintKey`) and the values it names (`params`); the words are in locales/<lang>/issues.json.
 * An issue without a key (from an older engine or a run folder written before keys) shows the
 * engine's English.
 */
import type { TFunction } from 'i18next';
import type { GraphIssue } from '../../engine/graph/types';
import { paramHelp } from './blockWords';

export interface IssueText {
  message: string;
  hint?: string;
}

/** The values with the words that depend on language filled in: what a block got, the axis of a window. */
function values(t: TFunction, issue: GraphIssue): Record<string, string | number> {
  const params: Record<string, string | number> = { ...issue.params };
  if (typeof params.gotRank === 'string') {
    params.got = t(`issues.rank.${params.gotRank}`, { shape: params.gotShape, rank: params.rank, defaultValue: String(params.gotShape ?? '') });
  }
  if (typeof params.axis === 'string') params.axisWord = t(`issues.axis.${params.axis}`, { defaultValue: params.axis });
  return params;
}

export function issueText(t: TFunction, issue: GraphIssue): IssueText {
  const params = values(t, issue);
  const message = issue.key ? t(`issues.message.${issue.key}`, { ...params, defaultValue: issue.message }) : issue.message;
  let hint = issue.hint;
  if (issue.hintKey) hint = t(`issues.hint.${issue.hintKey}`, { ...params, defaultValue: issue.hint ?? '' });
  else if (issue.key?.startsWith('bad-param') && typeof params.block === 'string' && typeof params.param === 'string' && issue.hint !== undefined)
    // A bad value's hint is the param's own help.
    hint = paramHelp(t, params.block, params.param.split('.')[0] ?? params.param, issue.hint);
  return hint ? { message, hint } : { message };
}

/** The name of an issue's kind ("Shape mismatch"), for headings and lists. */
export function issueCodeName(t: TFunction, issue: Pick<GraphIssue, 'code'>): string {
  return t(`issues.code.${issue.code}`, { defaultValue: issue.code });
}

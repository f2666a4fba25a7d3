// The rule catalog as code: every rule of RULES.md, in catalog order. Code rules and manifest/project
// rules are listed in their own modules so they can grow independently.
import type { Rule } from './types';
import { CODE_RULES } from './codeRules';
import { MANIFEST_RULES } from './manifestRules';

export const ALL_RULES: readonly Rule[] = [...CODE_RULES, ...MANIFEST_RULES];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}

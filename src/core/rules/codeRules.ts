// Rules on task classes and registration code (RULES.md "Task classes" and "Registration code").
import type { Rule } from './types';

export const CODE_RULES: readonly Rule[] = [];

// Rules on manifests and project files (RULES.md "Manifest" and "Projects").
import type { Rule } from './types';

export const MANIFEST_RULES: readonly Rule[] = [];

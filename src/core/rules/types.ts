// The contract every rule implements, and the workspace view rules read. A rule is pure: it reads
// facts and reports findings (with an optional fix as text edits); it never touches the file system.
import type { ClassFact, FileFacts, ProfileId, RegistrationFact, Span, TaskClassFact } from '../facts/types';

export type Severity = 'error' | 'warning' | 'info';
export type SeverityOrOff = Severity | 'off';

export interface TextEdit {
  path: string;
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** Another place an app-wide finding is about (LSP relatedInformation, SARIF relatedLocations). */
export interface RelatedPlace {
  path: string;
  span: Span;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  path: string;
  span: Span;
  message: string;
  fix?: Fix;
  related?: RelatedPlace[];
}

/** One app: a manifest plus the code and projects that belong to it. */
export interface AppView {
  /** Directory that roots the app (the manifest's folder's nearest common scope), forward slashes. */
  root: string;
  manifest?: FileFacts;
  profile: ProfileId;
  /** Code files of this app (task classes, registrations, calls). */
  files: FileFacts[];
  projects: FileFacts[];
  /** Concrete registrations after helper calls were linked (helpers themselves excluded). */
  registrations: Array<{ file: FileFacts; registration: RegistrationFact }>;
  /** Whether RequestAccessAsync appears anywhere in the app's code. */
  requestsAccess: boolean;
  /** Whether the app overrides OnBackgroundActivated. */
  hasOnBackgroundActivated: boolean;
  /** The app's own classes implementing IBackgroundTask, by full name: one app never sees another's. */
  taskClassesByFullName: ReadonlyMap<string, Array<{ file: FileFacts; cls: TaskClassFact }>>;
  /** Classes that implement IBackgroundTask through a base class of the app (`class Sync : TaskBase`), by full name. */
  derivedTaskClasses?: ReadonlyMap<string, { file: FileFacts; cls: ClassFact; base: string }>;
}

export interface WorkspaceView {
  files: readonly FileFacts[];
  apps: readonly AppView[];
  /**
   * Every class implementing IBackgroundTask, by full name (namespace.class), case-sensitive, across
   * apps: for questions about the whole workspace only; an app's questions use its own (classesOf).
   */
  taskClassesByFullName: ReadonlyMap<string, Array<{ file: FileFacts; cls: TaskClassFact }>>;
  /** The app a file belongs to (first match), for per-file rules that need the profile. */
  appOf(path: string): AppView | undefined;
  /** Profile forced by the user (CLI --profile, setting), else undefined. */
  profileOverride?: ProfileId;
  /** Read the text of a file (for fixes that need context); undefined if unknown. */
  textOf(path: string): string | undefined;
}

export interface RuleContext {
  workspace: WorkspaceView;
  report(finding: Omit<Finding, 'ruleId' | 'severity'> & { severity?: Severity }): void;
}

export interface RuleMeta {
  id: string;
  severity: Severity;
  /** One line: what the rule checks. */
  title: string;
  /** domain-facts.md sections behind it, e.g. '§8 #1'. */
  source: string;
  /** Kinds of file whose facts the rule reads; used to skip rules when a change cannot affect them. */
  reads: ReadonlyArray<'code' | 'manifest' | 'project'>;
  /** 'file': findings for a file depend only on that file's facts (+ the app profile). 'workspace': cross-file. */
  scope: 'file' | 'workspace';
}

export interface FileRule extends RuleMeta {
  scope: 'file';
  checkFile(file: FileFacts, ctx: RuleContext): void;
}

export interface WorkspaceRule extends RuleMeta {
  scope: 'workspace';
  checkWorkspace(ctx: RuleContext): void;
}

export type Rule = FileRule | WorkspaceRule;

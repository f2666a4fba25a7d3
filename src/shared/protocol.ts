// Custom LSP messages between the bgtask language server and the VS Code client, and the data they
// carry. Plain types only (no vscode, no LSP library): both bundles import this file.
// Ranges are LSP ranges (0-based line, UTF-16 character); `uri` is a file URI, `path` the engine's path.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface ItemLocation {
  uri: string;
  path: string;
  range: Range;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

export interface ItemProblem extends ItemLocation {
  ruleId: string;
  severity: ProblemSeverity;
  message: string;
}

export interface TaskClassDto {
  fullName: string;
  language: string;
  /** The class name. */
  location: ItemLocation;
  problems: ItemProblem[];
}

export interface DeclarationDto {
  /** windows.backgroundTasks (or com / appExtension categories that carry a task). */
  category: string;
  entryPoint?: string;
  startPage?: string;
  executable?: string;
  taskTypes: string[];
  /** The EntryPoint/StartPage attribute value, else the Extension start tag. */
  location: ItemLocation;
  problems: ItemProblem[];
}

export interface RegistrationDto {
  /** Resolved name, the expression text when it is not a literal, undefined when unset. */
  name?: string;
  entryPoint?: string;
  /** `SystemTrigger(TimeZoneChange)`, `TimeTrigger(15)`, `ApplicationTrigger`... */
  trigger?: string;
  triggerClass?: string;
  conditions: string[];
  /** The BackgroundTaskBuilder creation (or the helper call that registers). */
  location: ItemLocation;
  problems: ItemProblem[];
}

export interface AppDto {
  root: string;
  profile: string;
  manifest?: { uri: string; path: string };
  taskClasses: TaskClassDto[];
  declarations: DeclarationDto[];
  registrations: RegistrationDto[];
  /** Findings in the app's files that belong to none of its items. */
  problems: ItemProblem[];
}

export interface RegistrationsResult {
  apps: AppDto[];
}

/** Request client → server: the static model behind the "Background Tasks" tree view. */
export const RegistrationsRequest = {
  method: 'bgtask/registrations',
} as const;

export type RegistrationsParams = Record<string, never>;

/** Notification server → client: the server's state, for the language status item. */
export interface ServerStatus {
  state: 'starting' | 'scanning' | 'ready';
  /** The profile forced by bgtask.profile, else the profiles derived from the workspace's manifests. */
  profile: string;
  profileForced: boolean;
  /** ISO time of the last completed check. */
  lastCheck?: string;
  /** Files with at least one problem. */
  files: number;
  /** Files the workspace scan read. */
  filesChecked?: number;
  problems: number;
}

export const StatusNotification = {
  method: 'bgtask/status',
} as const;

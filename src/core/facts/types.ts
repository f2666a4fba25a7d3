// The facts extracted from one file: the contract between the parsers (which produce them) and the
// rules, the workspace index and the task host (which read them). All spans are UTF-16 offsets into
// the file's original text, end exclusive. Nothing here knows about vscode, LSP or DAP.

export interface Span {
  start: number;
  end: number;
}

export type SourceLanguage = 'csharp' | 'cppcx' | 'cppwinrt' | 'javascript' | 'typescript' | 'vb';
export type FileKind = SourceLanguage | 'manifest' | 'project';

/** A value as written in code: a literal we know, a reference we may resolve later, or an expression we don't. */
export type ValueFact =
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  /**
   * A name (parameter, constant, field, `Foo.Bar`) that the workspace link step may resolve. `scope` is
   * the dotted name of the class (else namespace) the reference is written in: names resolve there first.
   */
  | { kind: 'reference'; name: string; span: Span; scope?: string }
  /** `typeof(X).FullName` / `nameof(X)`-like: names a class directly. */
  | { kind: 'typeName'; name: string; span: Span }
  | { kind: 'expression'; text: string; span: Span };

export interface TriggerFact {
  /** Trigger class name without namespace: SystemTrigger, TimeTrigger, MaintenanceTrigger, ApplicationTrigger, ... */
  className: string;
  /** The whole `new XTrigger(...)` expression (or the variable reference passed to SetTrigger). */
  span: Span;
  /** SystemTrigger: the SystemTriggerType member in PascalCase (TimeZoneChange), with its span. */
  systemTriggerType?: { name: string; span: Span };
  /** TimeTrigger / MaintenanceTrigger first argument. */
  freshness?: ValueFact;
  /** SystemTrigger / TimeTrigger / MaintenanceTrigger oneShot argument. */
  oneShot?: ValueFact;
  /** True when the trigger came through a variable or parameter we could not follow. */
  unresolved?: boolean;
}

export interface ConditionFact {
  /** SystemConditionType member in PascalCase (InternetAvailable), or undefined when not a SystemCondition literal. */
  type?: string;
  /** The AddCondition call (or the condition expression). */
  span: Span;
  /** The enum member itself, for precise ranges. */
  typeSpan?: Span;
}

export interface RegistrationFact {
  /** Anchor for findings about the registration as a whole: the `new BackgroundTaskBuilder` expression. */
  span: Span;
  /** Name of the variable holding the builder, when there is one. */
  builderVariable?: string;
  /** Which builder: WinRT `Windows.ApplicationModel.Background` or Windows App SDK `Microsoft.Windows...`. */
  builderKind: 'winrt' | 'appsdk' | 'unknown';
  name?: ValueFact;
  entryPoint?: ValueFact;
  /** SetTaskEntryPointClsid(...) argument, if called. */
  entryPointClsid?: ValueFact;
  trigger?: TriggerFact;
  conditions: ConditionFact[];
  cancelOnConditionLoss?: ValueFact;
  isNetworkRequested?: ValueFact;
  taskGroup?: ValueFact;
  /** The `Register()` call; absent when the builder is never registered in this flow. */
  registerCall?: Span;
  /** Register() sits inside a try block (or a .then/.done error handler in JS). */
  registerGuarded: boolean;
  /** The enclosing function (or its callers in the same file) looks the task up in AllTasks before registering. */
  allTasksChecked: boolean;
  /**
   * When allTasksChecked is false: the methods the registration's class calls, by simple name. If one
   * of them looks in AllTasks in another file of the app (`MainPage.LookupBackgroundTask(name)`), the
   * link step counts the lookup.
   */
  classCalls?: string[];
  /** The registration result gets a Completed handler (`.Completed +=`, `addEventListener("completed")`, `oncompleted =`). */
  completedHandler: boolean;
  /** Name of the enclosing method/function (used to link helper registrations to their call sites). */
  enclosingFunction?: string;
  /** Offsets used by fixes: start of the statement holding the builder creation, and its indentation. */
  statementStart: number;
  indent: string;
  /**
   * When the builder's values come from the enclosing function's parameters, the registration is a
   * *helper*: the link step makes one concrete registration per call site. Maps the builder property
   * (`name`, `entryPoint`, `trigger`, `conditions`, `taskGroup`) to the parameter index.
   */
  helperParameters?: Partial<Record<'name' | 'entryPoint' | 'trigger' | 'condition' | 'taskGroup', number>>;
  /**
   * Set by the link step on the concrete registrations it made from a helper call. Such a
   * registration belongs to the *call site's* file: `span` and the values passed as arguments point
   * there, while `registerCall` and the builder's own values still point into the helper's file.
   */
  viaHelperCall?: Span;
}

/** A call to a function that may be a registration helper: `RegisterBackgroundTask(EntryPoint, "Name", new SystemTrigger(...), null)`. */
export interface CallFact {
  callee: string;
  span: Span;
  /** Arguments as values; triggers passed inline are also given as TriggerFact. */
  args: Array<{ value: ValueFact; trigger?: TriggerFact; condition?: ConditionFact }>;
  enclosingFunction?: string;
  /** Whether the call sits in a flow that checks AllTasks (the helper may do it itself). */
  allTasksChecked: boolean;
  guarded: boolean;
}

export interface DeferralFact {
  /** The GetDeferral() call. */
  span: Span;
  variable?: string;
  /** Complete() is called on it somewhere in the class. */
  completed: boolean;
  /** One of those Complete() calls sits in a finally block. */
  completedInFinally: boolean;
  /** Offset of the first await / async continuation in Run before this call, if any. */
  afterAwait: boolean;
}

export interface RunMethodFact {
  span: Span;
  nameSpan: Span;
  isAsync: boolean;
  /** `{` ... `}` of the body (both braces included); absent for a declaration without body (C++ header). */
  bodySpan?: Span;
  /** Asynchronous work started in Run: await, .then/.done, create_task, co_await, ContinueWith, ThreadPoolTimer... */
  asyncWork?: Span;
  deferrals: DeferralFact[];
  /** Awaited work inside a try whose finally (or the deferral completion) may be skipped. */
  hasTryFinally: boolean;
}

export interface TaskClassFact {
  language: SourceLanguage;
  name: string;
  /** Namespace-qualified name as the manifest/TaskEntryPoint writes it: `Tasks.SampleBackgroundTask`. */
  fullName: string;
  /** The class name identifier. */
  nameSpan: Span;
  /** The whole declaration. */
  span: Span;
  isPublic: boolean;
  isSealed: boolean;
  /** Where `sealed ` (C#) / ` sealed` (C++/CX) goes, and the text to insert. */
  sealedFix?: { offset: number; text: string };
  /** Replace this span (an access modifier, or an empty span before the class keyword) with `public`. */
  publicFix?: { span: Span; text: string };
  /** Offset just after the body's `{` and the indentation of members, for inserting a Run stub. */
  bodyInsert?: { offset: number; indent: string };
  run?: RunMethodFact;
  /** The task subscribes to `Canceled` (C# `+=`, C++ `->Canceled +=`/`Canceled(...)`, JS addEventListener("canceled")). */
  handlesCanceled: boolean;
  /** Only a declaration (C++ header) was seen; the body may be elsewhere. */
  declarationOnly?: boolean;
  /** VB: declared outside `Namespace Global…`, so the compiler prefixes fullName with the project's RootNamespace. */
  rootRelative?: boolean;
  /**
   * A full-trust COM class (`[Guid]`/`[ComVisible]` in C#, `__declspec(uuid)` in C++) activated by
   * CLSID from the app's own exe: not a Windows Runtime Component class (§5 App SDK).
   */
  isComClass?: boolean;
  /** `abstract`: a base of the app's task classes, never activated itself. */
  isAbstract?: boolean;
  /** Derives from a platform task base type (XamlRenderingBackgroundTask) rather than naming IBackgroundTask. */
  platformBase?: string;
}

/** Any other class, for component-class-not-sealed and for "closest class name" fixes. */
export interface ClassFact {
  name: string;
  fullName: string;
  nameSpan: Span;
  isPublic: boolean;
  isSealed: boolean;
  isStatic: boolean;
  sealedFix?: { offset: number; text: string };
  /** Base types as written (`TaskBase`, `Common.TaskBase`), to follow base classes that implement IBackgroundTask. */
  bases?: string[];
  /** VB: declared outside `Namespace Global…`, so the compiler prefixes fullName with the project's RootNamespace. */
  rootRelative?: boolean;
}

/** A JavaScript background task script (uses WebUIBackgroundTaskInstance.current). */
export interface JsTaskFact {
  /** The `WebUIBackgroundTaskInstance.current` expression. */
  span: Span;
  /** Calls `close()` (the worker global) somewhere. */
  callsClose: boolean;
  handlesCanceled: boolean;
  /** End of the file's last statement, where a `close();` fix goes. */
  closeInsertOffset: number;
}

export interface ManifestTaskFact {
  type: string;
  /** Namespace prefix as written ('' for the default namespace). */
  prefix: string;
  /** Namespace URI the element is in. */
  namespace: string;
  span: Span;
  typeSpan: Span;
}

export interface ManifestExtensionFact {
  /** `Extension` element range (whole element). */
  span: Span;
  /** The start tag only. */
  startTagSpan: Span;
  category: string;
  prefix: string;
  namespace: string;
  entryPoint?: { value: string; span: Span };
  executable?: { value: string; span: Span };
  startPage?: { value: string; span: Span };
  /** `<BackgroundTasks>` element, if present. */
  backgroundTasks?: {
    span: Span;
    /** The `<BackgroundTasks ...>` start tag. */
    startTagSpan: Span;
    serverName?: { value: string; span: Span };
    supportsMultipleInstances?: { value: string; span: Span };
    /** Offset after the start tag, for inserting a Task. */
    insertOffset: number;
    indent: string;
  };
  resourceGroup?: { value: string; span: Span };
  tasks: ManifestTaskFact[];
  /** Nested com:Class ids, for com:Extension. */
  comClassIds: Array<{ value: string; span: Span }>;
  /** activatableClass ids under windows.activatableClass.inProcessServer. */
  activatableClassIds: Array<{ value: string; span: Span }>;
  /** Offset of the start of the line holding the element, and its indentation. */
  lineStart: number;
  indent: string;
}

export interface ManifestFacts {
  /** Namespace URI → prefix declared on the root. */
  namespaces: Record<string, string>;
  ignorableNamespaces?: { value: string[]; span: Span };
  /** Offset right after the root element's name, where an `IgnorableNamespaces` attribute can go. */
  rootAttributeInsert?: number;
  /** Each prefix used in an element or attribute name (not xmlns), with its namespace and first use. */
  prefixUses: Record<string, { namespace: string; span: Span }>;
  rootSpan: Span;
  /** Derived profile; see core/model/profiles. */
  profile: ProfileId;
  applications: Array<{ id?: string; startPage?: string; entryPoint?: string; span: Span; extensionsInsert?: { offset: number; indent: string } }>;
  extensions: ManifestExtensionFact[];
  /** `<LockScreen>` (any prefix) present with Notification and BadgeLogo. */
  lockScreen?: { span: Span; notification?: string; badgeLogo?: string };
  /** Where a `<LockScreen .../>` fix goes (inside VisualElements), if known. */
  lockScreenInsert?: { offset: number; indent: string };
  /** Capabilities declared (name attribute values). */
  capabilities: string[];
  /** `<TargetDeviceFamily Name MinVersion>` under Dependencies (Windows 10 and App SDK manifests). */
  targetDeviceFamilies?: Array<{ name: string; minVersion?: string }>;
  syntaxError?: { message: string; span: Span };
}

export interface ProjectFacts {
  /** C#: OutputType; C++: ConfigurationType / AppContainerApplication / WinMDFile. */
  outputType?: { value: string; span: Span };
  isWindowsRuntimeComponent: boolean;
  isApp: boolean;
  /** ProjectReference Include values, resolved to absolute paths (forward slashes). */
  projectReferences: Array<{ path: string; span: Span }>;
  targetPlatformVersion?: string;
  /** Explicit Compile/ClCompile items, when the project lists them (old-style projects). */
  compileItems: string[];
  /** Whether the project globs its folder (SDK-style) rather than listing files. */
  sdkStyle: boolean;
  /** `<WindowsAppSDKBackgroundTask>true`. */
  windowsAppSdkBackgroundTask: boolean;
  /** VB: `<RootNamespace>`, which prefixes every namespace the project's .vb files declare (but `Namespace Global.X`). */
  rootNamespace?: string;
  /** Folders of the Shared projects (`<Import Project="..\\X.projitems" Label="Shared"/>`) this project builds. */
  sharedFolders?: string[];
  insertReferenceAt?: { offset: number; indent: string };
  outputTypeFix?: { span: Span; text: string };
}

export type ProfileId = 'win8' | 'win81' | 'phone81' | 'win10' | 'appsdk';

export interface Suppression {
  /** 0-based line the suppression applies to (the line after the comment). */
  line: number;
  /** Rule ids; empty = all rules. */
  rules: string[];
}

export interface FileFacts {
  /** Absolute path with forward slashes. */
  path: string;
  kind: FileKind;
  taskClasses: TaskClassFact[];
  classes: ClassFact[];
  registrations: RegistrationFact[];
  calls: CallFact[];
  /**
   * `const string X = "..."` / `static constexpr` / `const X = "..."`: the constant's full dotted name
   * (`Ns.Class.X`; `X` at file level) → value. Names are resolved by scope at link time (apps.ts).
   */
  constants: Record<string, string>;
  /** Namespaces the file imports (`using Ns;`, `using namespace Ns;`), dotted: a name may resolve through them. */
  usings?: string[];
  /** C++ `#include "x.h"` paths as written: constants resolve through them, and the scan reads them for constants. */
  includes?: string[];
  /** RequestAccessAsync / RequestAccessKindAsync calls. */
  requestAccess: Span[];
  /** OnBackgroundActivated override or BackgroundActivated handler present. */
  onBackgroundActivated?: Span;
  /** `ApplicationTrigger.RequestAsync` calls (for the host: which app code signals which trigger). */
  applicationTriggerRequests: Span[];
  jsTasks: JsTaskFact[];
  manifest?: ManifestFacts;
  project?: ProjectFacts;
  suppressions: Suppression[];
  /** Names of the functions that look in AllTasks (for registrations in other files that call them). */
  allTasksFunctions?: string[];
  /** Problems the parser wants reported (binary file, too large, invalid UTF-8). */
  problems: Array<{ message: string; span: Span }>;
}

export function emptyFacts(path: string, kind: FileKind): FileFacts {
  return {
    path,
    kind,
    taskClasses: [],
    classes: [],
    registrations: [],
    calls: [],
    constants: {},
    requestAccess: [],
    applicationTriggerRequests: [],
    jsTasks: [],
    suppressions: [],
    problems: [],
  };
}

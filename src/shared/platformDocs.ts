// Links to Microsoft's published documentation pages for the platform facts bgtask checks: the API
// reference of Windows.ApplicationModel.Background, the manifest schema and the UWP background-task
// guides (the pages domain-facts.md cites by tag). Used by hover text and the rule pages.
const API = 'https://learn.microsoft.com/uwp/api/';
const GUIDE = 'https://learn.microsoft.com/windows/uwp/launch-resume/';

export interface DocLink {
  title: string;
  url: string;
}

/** The API reference page of a type (trigger classes live in Background, ControlChannelTrigger in Networking.Sockets). */
export function apiDoc(typeName: string): DocLink {
  const ns = typeName === 'ControlChannelTrigger' ? 'windows.networking.sockets' : 'windows.applicationmodel.background';
  return { title: `${typeName} (API reference)`, url: `${API}${ns}.${typeName.toLowerCase()}` };
}

export const GUIDES = {
  support: { title: 'Support your app with background tasks', url: `${GUIDE}support-your-app-with-background-tasks` },
  createRegister: { title: 'Create and register an out-of-process background task', url: `${GUIDE}create-and-register-a-background-task` },
  declare: { title: 'Declare background tasks in the application manifest', url: `${GUIDE}declare-background-tasks-in-the-application-manifest` },
  guidelines: { title: 'Guidelines for background tasks', url: `${GUIDE}guidelines-for-background-tasks` },
  taskElement: { title: 'Task element (manifest schema)', url: 'https://learn.microsoft.com/uwp/schemas/appxpackage/uapmanifestschema/element-task' },
  appSdk: { title: 'Background tasks in the Windows App SDK', url: 'https://learn.microsoft.com/windows/apps/windows-app-sdk/applifecycle/background-tasks' },
} satisfies Record<string, DocLink>;

export const markdownLinks = (links: readonly DocLink[]) => links.map((l) => `[${l.title}](${l.url})`).join(' · ');

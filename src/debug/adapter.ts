// `node dist/debugAdapter.js`: the bgtask debug adapter process, DAP over stdin/stdout (VS Code
// starts it as an executable, so task code can never block the extension host).
import { DebugSession } from '@vscode/debugadapter';
import { BgtaskDebugSession } from './session';

DebugSession.run(BgtaskDebugSession);

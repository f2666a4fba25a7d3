// Tags the `reference` values of a file's registrations and calls with the scope they are written in
// (the enclosing class, else namespace), so the link step resolves constants as the language does.
import type { FileFacts, RegistrationFact, TriggerFact, ValueFact } from './types';

export function attachScopes(facts: FileFacts, scopeAt: (offset: number) => string | undefined): void {
  const tag = (v: ValueFact | undefined) => {
    if (v?.kind !== 'reference' || v.scope !== undefined) return;
    const scope = scopeAt(v.span.start);
    if (scope) v.scope = scope;
  };
  const trigger = (t: TriggerFact | undefined) => {
    tag(t?.freshness);
    tag(t?.oneShot);
  };
  const registration = (r: RegistrationFact) => {
    for (const v of [r.name, r.entryPoint, r.entryPointClsid, r.cancelOnConditionLoss, r.isNetworkRequested, r.taskGroup]) tag(v);
    trigger(r.trigger);
  };
  facts.registrations.forEach(registration);
  for (const call of facts.calls) for (const a of call.args) {
    tag(a.value);
    trigger(a.trigger);
  }
}

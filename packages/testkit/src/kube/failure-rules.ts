/**
 * Injected failures chosen per object by namespace, name and/or labels. The most recently added
 * matching rule wins, so a test can narrow a broad rule with a specific one.
 */
import type { StoredObject } from './kube-object';
import { type LabelSelector, parseLabelSelector, selectorFromLabels } from './label-selector';

export interface ObjectMatch {
  namespace?: string;
  name?: string;
  /** `app=x,tier in (a,b)` or `{ app: 'x' }` */
  labels?: string | Record<string, string>;
}

export interface InjectedFailure {
  /** Stops the rule from applying to objects processed from now on. */
  remove(): void;
}

interface Rule<F> {
  match: ObjectMatch;
  selector: LabelSelector;
  failure: F;
}

export class FailureRules<F> {
  private rules: Rule<F>[] = [];

  constructor(private readonly changed: () => void) {}

  add(match: ObjectMatch, failure: F): InjectedFailure {
    const selector =
      match.labels === undefined
        ? parseLabelSelector(undefined)
        : typeof match.labels === 'string'
          ? parseLabelSelector(match.labels)
          : selectorFromLabels(match.labels);
    const rule: Rule<F> = { match, selector, failure };
    this.rules.push(rule);
    return {
      remove: () => {
        this.rules = this.rules.filter((r) => r !== rule);
        this.changed();
      },
    };
  }

  find(object: StoredObject): F | undefined {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i]!;
      const { namespace, name } = rule.match;
      if (namespace !== undefined && object.metadata.namespace !== namespace) continue;
      if (name !== undefined && object.metadata.name !== name) continue;
      if (!rule.selector.matches(object.metadata.labels)) continue;
      return rule.failure;
    }
    return undefined;
  }

  clear(): void {
    const had = this.rules.length > 0;
    this.rules = [];
    if (had) this.changed();
  }
}

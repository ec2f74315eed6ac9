import type { ClusterState } from '@paasport/plugin-paas-common';

/** What each state means for deployments, in a few words. */
export const STATE_DESCRIPTIONS: Record<ClusterState, string> = {
  ready: 'takes new deployments',
  cordoned: 'keeps what runs on it, takes nothing new',
  draining: 'takes nothing new; its deployments move to other clusters',
};

/** The per-row action that puts a cluster into each state. */
export const STATE_ACTIONS: {
  state: ClusterState;
  /** The button's text. */
  label: string;
  /** The button's accessible name, with the cluster's name in it. */
  ariaLabel: (name: string) => string;
}[] = [
  {
    state: 'ready',
    label: 'Ready',
    ariaLabel: name => `Mark ${name} ready`,
  },
  {
    state: 'cordoned',
    label: 'Cordon',
    ariaLabel: name => `Cordon ${name}`,
  },
  {
    state: 'draining',
    label: 'Drain',
    ariaLabel: name => `Drain ${name}`,
  },
];

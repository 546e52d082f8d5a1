/** The Communities tab (placeholder until it is built: the list, a community's page, versions and jobs). */
import type { Communities } from '../../api';

export type CurationChange = 'names' | 'run';

export interface CommunitiesViewProps {
  communities: Communities | null;
  /** The open community's short name; null: the list. */
  open: string | null;
  onOpen: (short: string | null) => void;
  /** A write succeeded: 'names' for curation (names, colours, seeds, versions), 'run' for a new propagation run. */
  onChanged: (what: CurationChange) => void;
  /** Shows an account on the map: switches to the map tab, selects it and flies to it. */
  onShowAccount: (id: string) => void;
}

export function CommunitiesView(props: CommunitiesViewProps) {
  return (
    <section className="communities" data-testid="communities-view">
      {props.communities?.communities.length ?? 0} communities
    </section>
  );
}

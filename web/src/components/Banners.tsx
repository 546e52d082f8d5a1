/** The three banners: API down (with the exact start command), demo data, stale snapshot. */
import type { Health } from '../api';

export const START_COMMAND = 'npm start';

export function Banners({ apiDown, health }: { apiDown: boolean; health: Health | null }) {
  return (
    <>
      {apiDown && (
        <div className="banner banner-down" role="alert" data-testid="banner-api-down">
          The API is not available. Start it in the project directory with: <code>{START_COMMAND}</code> (or{' '}
          <code>npx tpot serve</code>), then reload.
        </div>
      )}
      {!apiDown && health?.database.demo && (
        <div className="banner banner-demo" data-testid="banner-demo">
          Demo data: a synthetic community, not the real archive. To map the real one:{' '}
          <code>npx tpot import --source …</code> (see README, “Importing real data”).
        </div>
      )}
      {!apiDown && health && health.database.present && !health.snapshot.used_for_default_view && (
        <div className="banner banner-stale" data-testid="banner-stale">
          The snapshot is {health.snapshot.present ? 'stale' : 'missing'}: the map is built live and its layout may be
          incomplete. Refresh it with <code>npx tpot snapshot refresh</code>.
        </div>
      )}
      {!apiDown && health && !health.database.present && (
        <div className="banner banner-down" role="alert">
          No database yet: run <code>{START_COMMAND}</code> once (demo data) or <code>npx tpot import</code>.
        </div>
      )}
    </>
  );
}

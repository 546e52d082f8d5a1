/**
 * Child-process entry for the sync benchmark (docs/BENCHMARKS.md): the fake PostgREST of the test suite,
 * on 127.0.0.1 only, serving `followers`, `tweets` and `user_mentions` rows (the mentions in those tweets), in its
 * own process so that serving does not share the syncing process's event loop. Receives a PostgrestRequest,
 * answers a PostgrestReady.
 */
import { followerRows, startFakePostgrest, tweetRows, userMentionRows } from '../testing/fake-postgrest.js';
import { exitWithParent } from './children.js';

export interface PostgrestRequest {
  followers: number;
  tweets: number;
  mentions: number;
  apiKey: string;
}

export interface PostgrestReady {
  url: string;
}

process.once('message', (request: PostgrestRequest) => {
  void serve(request);
});

async function serve(request: PostgrestRequest): Promise<void> {
  const fake = await startFakePostgrest({
    apiKey: request.apiKey,
    tables: {
      followers: { key: 'id', rows: followerRows(request.followers) },
      tweets: { key: 'tweet_id', rows: tweetRows(request.tweets) },
      user_mentions: { key: 'id', rows: userMentionRows(request.mentions, request.tweets) },
    },
  });
  exitWithParent(() => fake.close());
  process.send?.({ url: fake.url } satisfies PostgrestReady);
}

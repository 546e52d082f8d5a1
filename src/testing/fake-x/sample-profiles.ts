/** Profiles the shadow tests share: a full one with large counts, a small one. */
import type { FakeProfile } from './profile-page.js';

export const ALICE: FakeProfile = {
  handle: 'alice_tpot',
  id: '1700000000000000001',
  name: 'Alice 🦋',
  bio: 'thinking about group chats',
  location: 'Somewhere',
  website: { shown: 'alice.example', expanded: 'https://alice.example/' },
  followers: 90_512,
  following: 1_234,
  posts: 74_028,
};

export const BOB: FakeProfile = { handle: 'bob', id: '1700000000000000002', name: 'Bob', followers: 5, following: 7 };

// Seeds one database for the benchmark with generate_series: a "small" user with 10 relationships, a "large"
// user with N, and background rows between other users, so that the table is not just the two subjects.
// The mix is realistic: sent and received, pending and accepted, and some rejected (hidden from lists).

export function seedStatements(small: string, large: string, relationships: number): string[] {
  const others = relationships + 10;
  return [
    `insert into known_user (id, username, display_name, avatar_url)
     values ('${small}', 'bench_small', 'Small', ''), ('${large}', 'bench_large', 'Large', '')`,
    // Other users get ids derived from their number, so the seed can refer to them without a lookup.
    `insert into known_user (id, username, display_name, avatar_url)
     select md5('other' || i)::uuid, 'other_' || i, 'Other ' || i, 'https://cdn.example.com/' || i || '.png'
     from generate_series(1, ${others}) as i`,
    relationshipRows(large, relationships),
    smallUserRows(small),
    // Background: two relationships per other user, among themselves.
    `insert into friendship (id, requester_id, addressee_id, status, created_at, updated_at)
     select gen_random_uuid(), md5('other' || i)::uuid, md5('other' || (i + d))::uuid,
            case when i % 2 = 0 then 'accepted' else 'requested' end,
            now() - make_interval(secs => i), now() - make_interval(secs => i)
     from generate_series(1, ${others - 2}) as i, generate_series(1, 2) as d`,
    "analyze",
  ];
}

/**
 * The small user's 10, all listed: 6 accepted and 4 pending, half sent, so that every case below can ask
 * both users for pages of the same size (same payload) and only the table behind them differs.
 */
function smallUserRows(user: string): string {
  return `insert into friendship (id, requester_id, addressee_id, status, created_at, updated_at)
    select gen_random_uuid(),
           case when i % 2 = 0 then '${user}'::uuid else md5('other' || i)::uuid end,
           case when i % 2 = 0 then md5('other' || i)::uuid else '${user}'::uuid end,
           case when i <= 6 then 'accepted' else 'requested' end,
           now() - make_interval(secs => i * 60), now() - make_interval(secs => i * 30)
    from generate_series(1, 10) as i`;
}

/** `count` relationships of `user` with others 1..count: 70% accepted, 25% pending, 5% rejected; half sent. */
function relationshipRows(user: string, count: number): string {
  return `insert into friendship (id, requester_id, addressee_id, status, created_at, updated_at)
    select gen_random_uuid(),
           case when i % 2 = 0 then '${user}'::uuid else md5('other' || i)::uuid end,
           case when i % 2 = 0 then md5('other' || i)::uuid else '${user}'::uuid end,
           case when i % 20 < 14 then 'accepted' when i % 20 < 19 then 'requested' else 'rejected' end,
           now() - make_interval(secs => i * 60), now() - make_interval(secs => i * 30)
    from generate_series(1, ${count}) as i`;
}

import { OutboxEntity } from "../outbox/outbox.entity.ts";
import { type FastOrm, startFastOrm } from "./fast-orm.ts";

describe("startFastOrm", () => {
  let db: FastOrm;
  beforeAll(async () => {
    db = await startFastOrm({ entities: [], migrations: [] });
  });
  afterAll(() => db.close());

  it("applies the shared migrations: the outbox table takes and returns a row", async () => {
    const em = db.orm.em.fork();
    em.create(OutboxEntity, {
      id: "018f0000-0000-7000-8000-000000000001",
      topic: "t",
      key: "k",
      type: "x.y",
      payload: Buffer.from([1, 2]),
      occurredAt: new Date(),
      publishedAt: null,
      attempts: 0,
    });
    await em.flush();
    const rows = await db.orm.em.fork().find(OutboxEntity, {});
    expect(rows.map((r) => r.key)).toEqual(["k"]);
  });
});

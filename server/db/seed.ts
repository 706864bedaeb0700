import { randomUUID } from "node:crypto";
import { EMPTY_DATABASE_LOCK } from "../users/first-admin.js";
import { count, sql } from "drizzle-orm";
import type { Db } from "./client.js";
import { campaigns, keyPoints, stations, supplyItems, supplyLedger, users, vehicles } from "./schema/index.js";
import { insertRegion } from "../stations/stations.repo.js";
import { hashPassword } from "../auth/password.js";
import { seedDemoPartner } from "../partners/partners.service.js";

/** The demo logins, printed at start. */
export const DEMO_USERS = ["operator", "patrol1", "patrol2", "head", "supervisor", "admin"] as const;
/** The second station's head, added with the demo history (each station reports its own days). */
export const HISTORY_HEAD = "head2";

/** With a history to follow: the campaign runs from its first day, and each station has a head. */
interface HistoryOptions {
  /** First day of the campaign (the history's first report day), YYYY-MM-DD. */
  campaignStartsOn: string;
}

type KP = [name: string, kind: string, lat: number, lng: number];

/**
 * Seeds a demo city (Harbin-like: two district stations) into an empty database: regions, 2 stations,
 * 6 vehicles, 12 key points, a supply catalog with opening stock, a running winter campaign and the demo users.
 * With `history`, the campaign starts on the history's first day and the second station gets its head
 * (server/db/demo-history.ts then writes the nights). Returns false when users already exist (nothing is touched).
 */
export async function seedDemo(
  db: Db,
  password: string,
  openingStock = 200,
  today = new Date(),
  history?: HistoryOptions,
): Promise<boolean> {
  const [{ n }] = (await db.select({ n: count() }).from(users)) as [{ n: number }];
  if (Number(n) > 0) return false;
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    // Nodes starting together on one empty database: the first seeds, the others wait here and
    // then find the users it made (the check above is only the cheap path).
    await tx.execute(sql`select pg_advisory_xact_lock(${EMPTY_DATABASE_LOCK})`);
    const [{ n: again }] = (await tx.select({ n: count() }).from(users)) as [{ n: number }];
    if (Number(again) > 0) return false;
    const city = await insertRegion(tx, { id: randomUUID(), name: "哈尔滨市", level: "city" });
    const daoli = await insertRegion(tx, { id: randomUUID(), name: "道里区", level: "district", parent: city });
    const nangang = await insertRegion(tx, { id: randomUUID(), name: "南岗区", level: "district", parent: city });
    const street = await insertRegion(tx, { id: randomUUID(), name: "新阳路街道", level: "street", parent: daoli });
    await insertRegion(tx, { id: randomUUID(), name: "共乐社区", level: "community", parent: street });

    const [a, b] = await tx
      .insert(stations)
      .values([
        {
          code: "DL",
          name: "道里区救助管理站",
          regionId: daoli.id,
          lat: 45.7705,
          lng: 126.6166,
          address: "道里区安升街88号",
          hotline: "0451-84600110",
          beds: 60,
        },
        {
          code: "NG",
          name: "南岗区救助管理站",
          regionId: nangang.id,
          lat: 45.7467,
          lng: 126.66,
          address: "南岗区学府路210号",
          hotline: "0451-86300120",
          beds: 40,
        },
      ])
      .returning();

    await tx.insert(vehicles).values([
      {
        stationId: a!.id,
        callSign: "DL-01",
        plate: "黑A·J3101",
        seats: 5,
        status: "available",
        lastLat: 45.7712,
        lastLng: 126.615,
        lastPositionAt: today,
      },
      {
        stationId: a!.id,
        callSign: "DL-02",
        plate: "黑A·J3102",
        seats: 7,
        status: "available",
        lastLat: 45.7801,
        lastLng: 126.6055,
        lastPositionAt: today,
      },
      { stationId: a!.id, callSign: "DL-03", plate: "黑A·J3103", seats: 5, status: "off_duty" },
      {
        stationId: b!.id,
        callSign: "NG-01",
        plate: "黑A·K2201",
        seats: 5,
        status: "available",
        lastLat: 45.747,
        lastLng: 126.659,
        lastPositionAt: today,
      },
      {
        stationId: b!.id,
        callSign: "NG-02",
        plate: "黑A·K2202",
        seats: 7,
        status: "available",
        lastLat: 45.756,
        lastLng: 126.6402,
        lastPositionAt: today,
      },
      { stationId: b!.id, callSign: "NG-03", plate: "黑A·K2203", seats: 5, status: "off_duty" },
    ]);

    const kpA: KP[] = [
      ["新华桥桥洞", "bridge_underpass", 45.763, 126.608],
      ["中央大街地下通道", "underpass", 45.7745, 126.617],
      ["防洪纪念塔广场", "square", 45.7808, 126.622],
      ["安升街涵洞", "culvert", 45.769, 126.612],
      ["经纬街烂尾楼", "abandoned_building", 45.766, 126.6235],
      ["哈尔滨西站", "railway_station", 45.714, 126.584],
    ];
    const kpB: KP[] = [
      ["哈尔滨站", "railway_station", 45.76, 126.631],
      ["南岗公路客运站", "bus_station", 45.7575, 126.6345],
      ["博物馆地下通道", "underpass", 45.756, 126.642],
      ["马家沟河桥洞", "bridge_underpass", 45.744, 126.651],
      ["儿童公园", "park", 45.7485, 126.6475],
      ["学府路工地", "construction_site", 45.733, 126.668],
    ];
    await tx
      .insert(keyPoints)
      .values([
        ...kpA.map(([name, kind, lat, lng]) => ({ stationId: a!.id, name, kind, lat, lng })),
        ...kpB.map(([name, kind, lat, lng]) => ({ stationId: b!.id, name, kind, lat, lng })),
      ]);

    const items = await tx
      .insert(supplyItems)
      .values([
        { code: "coat", nameZh: "棉大衣", nameEn: "Cotton coat", unitZh: "件", unitEn: "piece", unitValueFen: 15000 },
        { code: "quilt", nameZh: "棉被", nameEn: "Quilt", unitZh: "床", unitEn: "piece", unitValueFen: 12000 },
        { code: "food", nameZh: "方便食品", nameEn: "Instant food", unitZh: "份", unitEn: "pack", unitValueFen: 1000 },
        {
          code: "water",
          nameZh: "饮用水",
          nameEn: "Drinking water",
          unitZh: "瓶",
          unitEn: "bottle",
          unitValueFen: 200,
        },
        {
          code: "gloves_hat",
          nameZh: "手套帽子",
          nameEn: "Gloves and hat",
          unitZh: "套",
          unitEn: "set",
          unitValueFen: 3000,
        },
        { code: "hot_drink", nameZh: "热饮", nameEn: "Hot drink", unitZh: "杯", unitEn: "cup", unitValueFen: 300 },
      ])
      .returning();
    // Opening stock, so crews can load supplies on the demo's first night.
    if (openingStock > 0)
      await tx.insert(supplyLedger).values(
        [a!, b!].flatMap((st) =>
          items.map((it) => ({
            id: randomUUID(),
            stationId: st.id,
            itemId: it.id,
            kind: "received",
            quantity: openingStock,
            unitValueFen: it.unitValueFen,
            notes: "开站库存 opening stock",
          })),
        ),
      );

    const year = today.getUTCMonth() >= 7 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
    // A history needs a campaign running over it and for a while after today, whatever the season.
    const endsOn = `${year + 1}-03-15`;
    const soon = new Date(today.getTime() + 60 * 86_400_000).toISOString().slice(0, 10);
    await tx.insert(campaigns).values({
      name: `${year}-${year + 1}年寒冬送温暖专项救助行动`,
      regionId: city.id,
      startsOn: history?.campaignStartsOn ?? `${year}-11-15`,
      endsOn: history && endsOn < soon ? soon : endsOn,
      alertLevel: "yellow",
    });

    await tx.insert(users).values([
      { username: "operator", displayName: "接线员 王芳", passwordHash: hash, role: "operator", stationId: a!.id },
      { username: "patrol1", displayName: "巡查一组 李强", passwordHash: hash, role: "patrol", stationId: a!.id },
      { username: "patrol2", displayName: "巡查二组 赵敏", passwordHash: hash, role: "patrol", stationId: b!.id },
      { username: "head", displayName: "站长 刘建国", passwordHash: hash, role: "head", stationId: a!.id },
      {
        username: "supervisor",
        displayName: "市民政局 陈静",
        passwordHash: hash,
        role: "supervisor",
        regionId: city.id,
      },
      { username: "admin", displayName: "系统管理员", passwordHash: hash, role: "admin" },
    ]);
    if (history)
      await tx.insert(users).values({
        username: HISTORY_HEAD,
        displayName: "站长 孙丽华",
        passwordHash: hash,
        role: "head",
        stationId: b!.id,
      });
    await seedDemoPartner(tx);
    return true;
  });
}

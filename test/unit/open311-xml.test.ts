import { describe, expect, it } from "vitest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { declaredParams, honoPath, toXml } from "../../server/http/formats.js";

describe("Open311 XML and format paths", () => {
  it("escapes markup and drops characters XML cannot carry, so a real parser reads the text back", () => {
    const text = `<b>&amp;</b> "q" 'a' ]]> \u0001\u0008 end`;
    const doc = toXml([{ code: 400, description: text, notes: null }], { root: "errors", item: "error" });
    expect(XMLValidator.validate(doc)).toBe(true);
    const parsed = new XMLParser({ parseTagValue: false, processEntities: true }).parse(doc);
    expect(parsed.errors.error).toEqual({
      code: "400",
      description: text.replace(/[\u0001\u0008]/g, "\ufffd"),
      notes: "",
    });
  });

  it("nests lists under their child element names", () => {
    const doc = toXml(
      { endpoints: [{ formats: ["text/xml", "application/json"] }] },
      {
        root: "discovery",
        lists: { endpoints: "endpoint", formats: "format" },
      },
    );
    expect(doc).toContain(
      "<discovery><endpoints><endpoint><formats><format>text/xml</format><format>application/json</format></formats></endpoint></endpoints></discovery>",
    );
  });

  it("splits the format off a path's last segment", () => {
    expect(honoPath("/open311/v2/requests/:id.:format")).toBe("/open311/v2/requests/:id{.+\\.(?:json|xml)}");
    expect(declaredParams("/open311/v2/requests/:id.:format", { id: "a.b.xml" })).toEqual({ id: "a.b", format: "xml" });
    expect(declaredParams("/open311/v2/services.:format", { format: "services.json" })).toEqual({ format: "json" });
  });
});

import { describe, expect, it } from "vitest";
import { parseModelSource } from "../../src/services/model-source";

const refused = (source: string, opts = {}) => {
  try {
    parseModelSource(source, opts);
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return "accepted";
};

describe("model version sources", () => {
  it("recognises logged models, registry versions, runs and artifact URIs", () => {
    expect(parseModelSource("models:/m-0123456789abcdef0123456789abcdef")).toEqual({ kind: "logged-model", modelId: "m-0123456789abcdef0123456789abcdef" });
    expect(parseModelSource("models:/my-model/3")).toEqual({ kind: "model-version", name: "my-model", version: 3 });
    expect(parseModelSource("runs:/abc123/path/to/model")).toEqual({ kind: "run", runId: "abc123", path: "path/to/model" });
    expect(parseModelSource("runs:/abc123")).toEqual({ kind: "run", runId: "abc123", path: "" });
    expect(parseModelSource("mlflow-artifacts:/1/models/m-1/artifacts")).toEqual({ kind: "uri" });
    expect(parseModelSource("s3://bucket/key")).toEqual({ kind: "uri" });
    expect(parseModelSource("s3://bucket/100%/key")).toEqual({ kind: "uri" });
  });

  // Inputs of MLflow's CVE-2023-1177, -2780, -2356, -3765, CVE-2024-1558, -3573 and their variants.
  it.each([
    ["absolute local path", "/etc/passwd"],
    ["relative local path", "models/../../etc"],
    ["plain relative name", "model"],
    ["file URI", "file:///etc/passwd"],
    ["file URI with host", "file://localhost/etc/passwd"],
    ["upper-case file scheme", "File:///etc/passwd"],
    ["encoded file URI", "file%3A%2F%2F%2Fetc%2Fpasswd"],
    ["Windows drive", "C:\\Users\\x"],
    ["dot-dot", "mlflow-artifacts:/1/../../etc"],
    ["encoded dot-dot", "mlflow-artifacts:/1/%2e%2e/%2e%2e/etc"],
    ["upper-case encoded dot-dot", "http://host/api/2.0/mlflow-artifacts/artifacts/%2E%2E%2F%2E%2E%2Fx"],
    ["double-encoded dot-dot", "mlflow-artifacts:/%252e%252e/x"],
    ["triple-encoded dot-dot", "mlflow-artifacts:/%25252e%25252e/x"],
    ["backslash dot-dot", "mlflow-artifacts:/a/..\\..\\x"],
    ["encoded backslash dot-dot", "mlflow-artifacts:/a/..%5c..%5cx"],
    ["single dot segment", "s3://bucket/./x"],
    ["NUL byte", "http://host/api/2.0/mlflow-artifacts/artifacts%00"],
    ["fragment", "http://host/m#/../../etc"],
    ["encoded fragment", "http://host/m%23frag"],
    ["query", "http://host/m?path=../../x"],
    ["path params", "http://host/m;x=1"],
    ["dot-dot behind an invalid UTF-8 escape", "mlflow-artifacts:/%ff/%2e%2e/x"],
    ["models:/ stage", "models:/m/Production"],
    ["models:/ alias", "models:/m@champion"],
    ["models:/ latest", "models:/m/latest"],
    ["models:/ nothing", "models:/"],
    ["models:/ traversal", "models:/../m/1"],
    ["runs:/ without id", "runs:/"],
  ])("refuses %s", (_, source) => {
    expect(refused(source)).toBe("INVALID_PARAMETER_VALUE");
  });

  it("lets prompts use scheme-less placeholders but nothing local", () => {
    expect(parseModelSource("dummy-source", { isPrompt: true })).toEqual({ kind: "uri" });
    expect(refused("/etc/passwd", { isPrompt: true })).toBe("INVALID_PARAMETER_VALUE");
    expect(refused("file:///etc/passwd", { isPrompt: true })).toBe("INVALID_PARAMETER_VALUE");
    expect(refused("http://h/../x", { isPrompt: true })).toBe("INVALID_PARAMETER_VALUE");
    expect(refused("placeholder/../../x", { isPrompt: true })).toBe("INVALID_PARAMETER_VALUE");
  });
});

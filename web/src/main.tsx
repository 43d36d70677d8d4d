import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { wireApp } from "./api/app-wiring.ts";
import { App } from "./app.tsx";
import { readConfig } from "./config.ts";
import "./styles.css";

const config = readConfig(import.meta.env, window.location.origin);
const wiring = wireApp(config);
void wiring.session.restore();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App {...wiring} config={config} />
  </StrictMode>,
);

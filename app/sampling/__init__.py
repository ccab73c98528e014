"""The register of samples and rapid tests (抽检/快检) at markets and shops."""

"""Built data artefacts (the packaged gazetteer index); see README.md here."""

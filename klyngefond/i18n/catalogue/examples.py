"""Copying the example clusters out of the package: klyngefond examples."""

MESSAGES = {
    "examples.help": ("Kopiér eksempelklyngerne til MAPPE, så du kan prøve alle kommandoer, også dem der skriver: klyngerne fra mødepapirerne og den fiktive Testklynge Vesterhavet med CVR, EAN og adresser til fakturering. Intet eksisterende bliver overskrevet.",
                      "Copy the example clusters to DIR, so you can try every command, also those that write: the clusters of the meeting papers and the fictional Testklynge Vesterhavet with CVR, EAN and addresses for invoicing. Nothing existing is overwritten."),
    "examples.example": ("Eksempler:\n  klyngefond examples ./data\n  klyngefond status Vesterhavet --data ./data",
                         "Examples:\n  klyngefond examples ./data\n  klyngefond status Vesterhavet --data ./data"),
    "examples.help_folder": ("Mappen, eksemplerne kopieres til; den oprettes, hvis den ikke findes.", "The folder to copy the examples to; it is created if missing."),
    "examples.exists": ("{path} findes allerede; intet er kopieret", "{path} already exists; nothing was copied"),
    "examples.hint_exists": ("vælg en anden mappe, eller flyt den eksisterende klynge væk først", "choose another folder, or move the existing cluster away first"),
    "examples.into_examples": ("{path} er eksempeldataene selv; vælg en mappe uden for klyngefond", "{path} is the example data itself; choose a folder outside klyngefond"),
    "examples.copied": ("Kopierede {count:eksempelklynge|eksempelklynger} til {folder}:", "Copied {count:example cluster|example clusters} to {folder}:"),
    "examples.fictional": ("fiktiv", "fictional"),
    "examples.try": ("Prøv:", "Try:"),
}

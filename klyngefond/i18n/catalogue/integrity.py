"""What interrupted commands leave half done, how `check` names it and how `repair` completes it; one cluster, one id, one number."""

MESSAGES = {
    "integrity.summary_repair": ("Gør det færdigt, som en afbrudt kommando efterlod", "Complete what an interrupted command left"),
    "integrity.help_repair": ("Gør det færdigt, som en afbrudt kommando (kill, strømsvigt, fuld disk) efterlod: skriver PDF og XML til "
                              "udstedte fakturaer, der mangler dem, fjerner midlertidige filer ældre end et minut og hæver en tællerfil, "
                              "der er bagud i forhold til fakturanumrene. Intet, du har skrevet, ændres; klyngefond check viser det samme.",
                              "Complete what an interrupted command (kill, power cut, full disk) left: writes the PDF and XML of issued "
                              "invoices that lack them, removes temporary files older than a minute and raises a counter file that is "
                              "behind the invoice numbers. Nothing you wrote is changed; klyngefond check shows the same."),
    "integrity.example_repair": ("Eksempel: klyngefond repair Vesterhavet (eller --out MAPPE, hvis dokumenterne ligger et andet sted)",
                                 "Example: klyngefond repair Vesterhavet (or --out FOLDER if the documents are elsewhere)"),
    "integrity.help_out": ("Mappen med fakturadokumenterne (standard: fakturaer/KLYNGE-ID her).",
                           "The folder of the invoice documents (default: fakturaer/CLUSTER-ID here)."),
    "integrity.help_check_out": ("Kontrollér fakturadokumenterne i denne mappe (standard: fakturaer/KLYNGE-ID her).",
                                 "Check the invoice documents in this folder (default: fakturaer/CLUSTER-ID here)."),
    "integrity.out_needs_cluster": ("--out kan kun bruges med én klynge, ikke med --all", "--out needs one cluster, not --all"),
    "integrity.removed_stray": ("Fjernede den efterladte midlertidige fil {path}", "Removed the stray temporary file {path}"),
    "integrity.left_stray": ("Lod {path} ligge: den er under et minut gammel og kan høre til en kommando, der skriver lige nu; kør repair igen om lidt",
                             "Left {path}: it is less than a minute old and may belong to a command writing right now; run repair again shortly"),
    "integrity.raised_counter": ("Hævede tælleren for {issuer} i {path} fra {before} til {after}, det højeste nummer på en udstedt faktura",
                                 "Raised the counter of {issuer} in {path} from {before} to {after}, the highest number on an issued invoice"),
    "integrity.completing_documents": ("Skriver de manglende dokumenter til {count:tidligere udstedt faktura|tidligere udstedte fakturaer} i {folder}",
                                       "Writing the missing documents of {count:invoice|invoices} issued earlier in {folder}"),
    "integrity.nothing_to_repair": ("Intet at reparere i {cluster}: ingen efterladte filer, og hver udstedt faktura har sine dokumenter i {folder}",
                                    "Nothing to repair in {cluster}: no stray files, and every issued invoice has its documents in {folder}"),
    "integrity.stray_temporary": ("midlertidig fil efterladt af en afbrudt skrivning ({seconds} sekunder gammel); den læses ikke",
                                  "temporary file left by an interrupted write ({seconds} seconds old); it is not read"),
    "integrity.hint_young_stray": ("den kan høre til en kommando, der skriver lige nu; kør check igen om et minut",
                                   "it may belong to a command writing right now; run check again in a minute"),
    "integrity.hint_repair": ("klyngefond repair {folder} gør det færdigt", "klyngefond repair {folder} completes it"),
    "integrity.missing_documents": ("fakturaen {number} er udstedt, men {files} mangler i {folder}",
                                    "invoice {number} is issued, but {files} is missing from {folder}"),
    "integrity.no_documents_folder": ("dokumentmappen {folder} findes ikke, så dokumenterne til {count:udstedt faktura|udstedte fakturaer} er ikke fundet",
                                      "the documents folder {folder} does not exist, so the documents of {count:issued invoice|issued invoices} were not found"),
    "integrity.hint_no_documents_folder": ("kør check fra mappen, hvor du udsteder fakturaer, eller angiv dokumentmappen med --out; klyngefond repair {folder} skriver dem",
                                           "run check from the folder where you issue invoices, or name the documents folder with --out; klyngefond repair {folder} writes them"),
    "integrity.counter_unreadable": ("tællerfilen kan ikke læses", "the counter file cannot be read"),
    "integrity.sequence_behind": ("tællerfilen {path} siger, at det seneste fakturanummer for «{issuer}» er {last}, men {number} er allerede udstedt; "
                                  "filen er sat ned i hånden eller lagt tilbage fra en ældre kopi",
                                  "the counter file {path} says the last invoice number of '{issuer}' is {last}, but {number} is already issued; "
                                  "the file was lowered by hand or restored from an older copy"),
    "integrity.nothing_issued": ("intet er udstedt, og tællerfilen er ikke ændret", "nothing was issued, and the counter file was not changed"),
    "integrity.hint_sequence_behind": ("kør klyngefond repair {cluster}, som hæver «{issuer}» til {used} i {path}, eller ret tallet i hånden (aldrig lavere); udsted så igen",
                                       "run klyngefond repair {cluster}, which raises '{issuer}' to {used} in {path}, or set it by hand (never lower); then issue again"),
    "integrity.duplicate_invoice": ("fakturanummeret {number} er også udstedt i {folders}", "invoice number {number} is also issued in {folders}"),
    "integrity.hint_duplicate_invoice": ("to klynger må aldrig udstede samme nummer: giv hver klynge sit eget id i cluster.toml, og kreditér den forkerte faktura",
                                         "two clusters must never issue the same number: give each cluster its own id in cluster.toml, and credit the wrong invoice"),
    "integrity.documents_failed": ("dokumenterne kunne ikke laves ({kind}); fakturaerne er udstedt, men mangler deres filer i {folder}",
                                   "the documents could not be made ({kind}); the invoices are issued but lack their files in {folder}"),
    "integrity.hint_documents_failed": ("ret teksten, som fejlen nævner, og kør klyngefond repair {cluster}, som skriver de manglende dokumenter",
                                        "correct the text the error names and run klyngefond repair {cluster}, which writes the missing documents"),
}

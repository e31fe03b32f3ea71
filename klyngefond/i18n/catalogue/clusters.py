"""`klyngefond clusters`: every cluster in the data folder."""

MESSAGES = {
    "clusters.help": ("Alle klynger i datamappen: modtagne klyngemidler, udmøntet og resterende, antal parter og bevillinger. En klynge, hvis data har fejl, vises med antallet af problemer.",
                      "Every cluster in the data folder: funds received, committed and remaining, the number of partners and grants. A cluster whose data has errors is shown with its number of problems."),
    "clusters.example": ("Eksempler: klyngefond clusters · klyngefond clusters --json", "Examples: klyngefond clusters · klyngefond clusters --json"),
    "clusters.title": ("Klynger", "Clusters"),
    "clusters.col_cluster": ("Klynge", "Cluster"),
    "clusters.col_partners": ("Parter", "Partners"),
    "clusters.col_grants": ("Bevillinger", "Grants"),
    "clusters.unreadable": ("{count:problem|problemer}", "{count:problem|problems}"),
    "clusters.broken": ("{folder}: {count:problem|problemer} i data; se klyngefond check {cluster}.",
                        "{folder}: {count:problem|problems} in the data; see klyngefond check {cluster}."),
    "clusters.same_id": ("Mappen {folder} har klynge-id'et «{id}» ligesom {others}; giv hver klynge sit eget id i cluster.toml.",
                         "The folder {folder} has the cluster id '{id}' like {others}; give each cluster its own id in cluster.toml."),
    "clusters.none": ("Der er ingen klynger i datamappen.", "There are no clusters in the data folder."),
}

"""The demo's invented names and texts: shared by the members written through the services
(app/services/demo.py) and those written in bulk (app/services/demo_bulk.py)."""

from app.models.vocabulary import ServiceType

PLACE_NAMES = [
    "Egebo", "Lindegården", "Solsikken", "Fjordhuset", "Bakkely", "Skovbrynet", "Havblik",
    "Kastanjehuset", "Engly", "Rosenhøj", "Mosegården", "Birkelund", "Strandlyst", "Toftegård",
    "Kildebo", "Lærkereden", "Højbjerg", "Vesterled", "Nørremark", "Granly", "Bøgely",
    "Ådalen", "Klitgården", "Pilegården", "Sønderbo", "Hyldebo", "Stjernen", "Regnbuen",
]
FIRST_NAMES = ["Mette", "Søren", "Hanne", "Jesper", "Louise", "Mads", "Camilla", "Niels",
                "Pernille", "Anders", "Sofie", "Thomas", "Ida", "Rasmus", "Maria", "Jonas"]
LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen",
               "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen"]
# Most LOS members are residential services for children and young people.
SERVICE_WEIGHTS = {
    ServiceType.DOEGNTILBUD: 8, ServiceType.DAGBEHANDLING: 3, ServiceType.KOSTSKOLE: 2,
    ServiceType.LAENGEREVARENDE_BOTILBUD: 3, ServiceType.MIDLERTIDIGT_BOTILBUD: 3,
    ServiceType.SOCIALPAEDAGOGISK_STOETTE: 2, ServiceType.MISBRUGSBEHANDLING: 1,
    ServiceType.KVINDEKRISECENTER: 1, ServiceType.FORSORGSHJEM: 1,
}
LOW_COMMENTS = [
    "Vi mangler en fast procedure, og det afhænger af, hvem der er på arbejde.",
    "Stor udskiftning i personalegruppen har gjort det svært at holde fast i.",
    "Vi har talt om det på personalemøder, men ikke fået det skrevet ned.",
    "Tilsynet påpegede det samme; vi er først ved at komme i gang.",
]
ACTION_TITLES = ["Gennemgå praksis på næste personalemøde", "Skriv en kort procedure",
                 "Aftal faste opfølgningssamtaler", "Supervision for hele personalegruppen"]
# Towns, for telling thousands of bulk members apart.
TOWNS = ["Silkeborg", "Viborg", "Holstebro", "Vejle", "Næstved", "Hillerød", "Roskilde",
         "Svendborg", "Hjørring", "Thisted", "Skive", "Ribe", "Haderslev", "Kalundborg",
         "Slagelse", "Frederikshavn", "Randers", "Horsens", "Herning", "Odder", "Faaborg",
         "Nakskov", "Køge", "Helsingør", "Struer", "Lemvig", "Grenaa", "Sorø", "Tønder",
         "Aabenraa"]

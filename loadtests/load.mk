# Load testing with Locust (loadtests/). The root Makefile includes this file;
# it uses the root's BIN (the venv's bin folder), STAGE, and `setup` target.
#
#   make load STAGE=6 USERS=50 DURATION=30s SCENARIO=Reader
#   make load SHAPE=step                     # step load: find the knee
#   make load-compare A=5 B=6                # same load, two stages
#   make load-compare A=6 B=6 A_ENV=STAGECRAFT_CACHE=false   # or two settings
#   make load-compare A=6 B=6 A_WORKERS=1 B_WORKERS=4        # or two worker counts
#   make load-distributed WORKERS=2          # a Locust master and 2 workers
#   make lab EXP=1                           # a lab experiment -> loadtests/results/
#   make lab-data                            # what the seed draws -> loadtests/results/data.md
#
# Every run serves the app itself (gunicorn, 127.0.0.1, a fresh seeded database),
# stops by itself, and writes its reports into reports/.

USERS         ?= 20
DURATION      ?= 20s
# all, or user classes: Reader Follower Writer LoginStorm
SCENARIO      ?= all
# only tasks with these tags, e.g. TAGS=list
TAGS          ?=
# longest pause between one user's tasks, in seconds; 0 = none
THINK         ?= 0.5
SEED_USERS    ?= 50
SEED_ARTICLES ?= 500
# the app: reference_app, or a learner's build-track app, APP=workshop (A_APP, B_APP to compare)
APP           ?= reference_app
A_APP         ?= $(APP)
B_APP         ?= reference_app
# gunicorn workers, and settings for the app: APP_ENV="STAGECRAFT_CACHE=false ..."
APP_WORKERS   ?= 2
APP_ENV       ?=
# SQL files to run on the seeded database before serving it
SQL           ?=
# SHAPE=step: 10 more users every 10 s, 6 times (STEP_USERS, STEP_SECONDS, STEPS)
SHAPE         ?=
# load-compare: stages (empty = the last stage), and per-side settings
A             ?=
B             ?=
A_ENV         ?=
B_ENV         ?=
A_SQL         ?=
B_SQL         ?=
A_WORKERS     ?= 2
B_WORKERS     ?= 2
# load-compare: also write a Markdown table and a PNG plot to this .md path
RESULTS       ?=
# load-distributed: Locust worker processes
WORKERS       ?= 2
# lab: which experiments (empty = all five)
EXP           ?=

LOAD_RUN  = $(BIN)/python -m loadtests
LOAD_HOW  = --users $(USERS) --duration $(DURATION) --scenario "$(SCENARIO)" \
            --tags "$(TAGS)" --think $(THINK) \
            --seed-users $(SEED_USERS) --seed-articles $(SEED_ARTICLES)
LOAD_WHAT = $(if $(STAGE),--stage $(STAGE)) --app $(APP) --app-workers $(APP_WORKERS) \
            --env "$(APP_ENV)" --sql "$(SQL)"

.PHONY: load load-compare load-distributed lab lab-data

load: setup ## load-test a stage (STAGE= USERS=20 DURATION=20s SCENARIO=all SHAPE=step)
	$(LOAD_RUN) load $(LOAD_HOW) $(LOAD_WHAT) $(if $(SHAPE),--shape $(SHAPE))

load-compare: setup ## the same load against A= and B= (stages, A_ENV/B_ENV, A_WORKERS/B_WORKERS)
	$(LOAD_RUN) compare $(LOAD_HOW) $(if $(A),--a $(A)) $(if $(B),--b $(B)) \
	    --a-env "$(A_ENV)" --b-env "$(B_ENV)" --a-sql "$(A_SQL)" --b-sql "$(B_SQL)" \
	    --a-workers $(A_WORKERS) --b-workers $(B_WORKERS) $(if $(RESULTS),--results $(RESULTS)) \
	    --a-app $(A_APP) --b-app $(B_APP)

load-distributed: setup ## a Locust master and WORKERS=2 workers, all on 127.0.0.1
	$(LOAD_RUN) distributed $(LOAD_HOW) $(LOAD_WHAT) --workers $(WORKERS)

lab: setup ## run the lab's experiments (EXP=1 or EXP="1 2"), writing loadtests/results/
	$(LOAD_RUN) lab $(EXP)

lab-data: setup ## seed the lab's two worlds and measure their long tail -> loadtests/results/data.md
	$(LOAD_RUN) data

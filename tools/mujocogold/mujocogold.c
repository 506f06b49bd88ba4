// mujocogold records golden trajectories of D4RL's maze2d point mass with the
// MuJoCo C library, for the tests of package sim. See README.md.
//
// Output: CSV on stdout, one row per env step:
//   maze,scenario,step,x,y,vx,vy,ax,ay,nx,ny,nvx,nvy
// (x..vy) is the state before the step, (ax,ay) the raw action (before
// clipping) and (nx..nvy) the state after one D4RL env step: clip the action
// to [-1,1], clip qvel to [-5,5], set ctrl, mj_step.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mujoco/mujoco.h>

static const char* mazes[][2] = {
  {"umaze", "#####\\#GOO#\\###O#\\#OOO#\\#####"},
  {"medium", "########\\#OO##OO#\\#OO#OOO#\\##OOO###\\#OO#OOO#\\#O#OO#O#\\#OOO#OG#\\########"},
  {"large", "############\\#OOOO#OOOOO#\\#O##O#O#O#O#\\#OOOOOO#OOO#\\#O####O###O#\\#OO#O#OOOOO#\\##O#O#O#O###\\#OO#OOO#OGO#\\############"},
  {"open", "#######\\#OOOOO#\\#OOGOO#\\#OOOOO#\\#######"},
};

// layout parsed into rows
static char grid[32][32];
static int nrows, ncols;

static void parse(const char* s) {
  nrows = 0; ncols = 0;
  int c = 0;
  for (const char* p = s; ; p++) {
    if (*p == '\\' || *p == 0) {
      grid[nrows][c] = 0; ncols = c; nrows++; c = 0;
      if (*p == 0) break;
    } else {
      grid[nrows][c++] = *p;
    }
  }
}

// writeXML writes the model D4RL's point_maze() builds (maze_model.py),
// without the purely visual assets.
static void writeXML(FILE* f) {
  fprintf(f, "<mujoco model=\"point_maze\">\n"
    "<compiler inertiafromgeom=\"true\" angle=\"radian\" coordinate=\"local\"/>\n"
    "<option timestep=\"0.01\" gravity=\"0 0 0\" iterations=\"20\" integrator=\"Euler\"/>\n"
    "<default><joint damping=\"1\" limited=\"false\"/>\n"
    "<geom friction=\".5 .1 .1\" density=\"1000\" margin=\"0.002\" condim=\"1\" contype=\"2\" conaffinity=\"1\"/></default>\n"
    "<worldbody>\n"
    "<geom name=\"ground\" size=\"40 40 0.25\" pos=\"0 0 -0.1\" type=\"plane\" contype=\"1\" conaffinity=\"0\"/>\n"
    "<body name=\"particle\" pos=\"1.2 1.2 0\">\n"
    "<geom name=\"particle_geom\" type=\"sphere\" size=\"0.1\" rgba=\"0 0 1 0\" contype=\"1\"/>\n"
    "<site name=\"particle_site\" pos=\"0 0 0\" size=\"0.2\"/>\n"
    "<joint name=\"ball_x\" type=\"slide\" pos=\"0 0 0\" axis=\"1 0 0\"/>\n"
    "<joint name=\"ball_y\" type=\"slide\" pos=\"0 0 0\" axis=\"0 1 0\"/>\n"
    "</body>\n"
    "<site name=\"target_site\" pos=\"0 0 0\" size=\"0.2\"/>\n");
  for (int w = 0; w < nrows; w++)
    for (int h = 0; h < ncols; h++)
      if (grid[w][h] == '#')
        fprintf(f, "<geom conaffinity=\"1\" type=\"box\" name=\"wall_%d_%d\" pos=\"%d %d 0\" size=\"0.5 0.5 0.2\"/>\n",
                w, h, w + 1, h + 1);
  fprintf(f, "</worldbody>\n<actuator>\n"
    "<motor joint=\"ball_x\" ctrlrange=\"-1 1\" ctrllimited=\"true\" gear=\"100\"/>\n"
    "<motor joint=\"ball_y\" ctrlrange=\"-1 1\" ctrllimited=\"true\" gear=\"100\"/>\n"
    "</actuator>\n</mujoco>\n");
}

// deterministic generator (splitmix64), independent of libc
static unsigned long long rs = 0x9E3779B97F4A7C15ULL;
static double urand(void) {
  unsigned long long z = (rs += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z = z ^ (z >> 31);
  return (z >> 11) * (1.0 / 9007199254740992.0);
}
static double uni(double a, double b) { return a + (b - a) * urand(); }

static double clip(double v, double lo, double hi) { return v < lo ? lo : (v > hi ? hi : v); }

static const char* mazeName;
static mjModel* m;
static mjData* d;

// envStep does one D4RL MazeEnv.step and prints the transition.
static void envStep(const char* scen, int step, double ax, double ay) {
  double s[4] = {d->qpos[0], d->qpos[1], d->qvel[0], d->qvel[1]};
  d->qvel[0] = clip(d->qvel[0], -5, 5);
  d->qvel[1] = clip(d->qvel[1], -5, 5);
  mj_forward(m, d);  // mujoco-py set_state calls forward
  d->ctrl[0] = clip(ax, -1, 1);
  d->ctrl[1] = clip(ay, -1, 1);
  mj_step(m, d);
  printf("%s,%s,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n",
         mazeName, scen, step, s[0], s[1], s[2], s[3], ax, ay,
         d->qpos[0], d->qpos[1], d->qvel[0], d->qvel[1]);
}

static void setState(double x, double y, double vx, double vy) {
  mj_resetData(m, d);
  d->qpos[0] = x; d->qpos[1] = y; d->qvel[0] = vx; d->qvel[1] = vy;
  mj_forward(m, d);
}

// a free cell (row, col) whose neighbour in direction (dr, dc) is a wall
static int findFreeNextToWall(int dr, int dc, int* r, int* c, int skip) {
  for (int i = 1; i < nrows - 1; i++)
    for (int j = 1; j < ncols - 1; j++)
      if (grid[i][j] != '#' && grid[i + dr][j + dc] == '#') {
        if (skip-- == 0) { *r = i; *c = j; return 1; }
      }
  return 0;
}

// face returns the state coordinate of the face of the wall next to free
// cell index i in direction dir (walls are centred at index-0.2 in state
// coordinates); dir 0 returns i.
static double face(int i, int dir) {
  if (dir > 0) return i + 0.3;
  if (dir < 0) return i - 0.7;
  return i;
}

static void pickFree(int* r, int* c) {
  for (;;) {
    int i = (int)(urand() * nrows), j = (int)(urand() * ncols);
    if (grid[i][j] != '#') { *r = i; *c = j; return; }
  }
}

int main(int argc, char** argv) {
  printf("maze,scenario,step,x,y,vx,vy,ax,ay,nx,ny,nvx,nvy\n");
  char path[] = "/tmp/mujocogoldXXXXXX";
  char err[1000];
  for (size_t k = 0; k < sizeof(mazes) / sizeof(mazes[0]); k++) {
    mazeName = mazes[k][0];
    parse(mazes[k][1]);
    int fd = mkstemp(path);
    FILE* f = fdopen(fd, "w");
    writeXML(f);
    fclose(f);
    m = mj_loadXML(path, NULL, err, sizeof(err));
    unlink(path);
    strcpy(path, "/tmp/mujocogoldXXXXXX");
    if (!m) { fprintf(stderr, "load: %s\n", err); return 1; }
    d = mj_makeData(m);
    fprintf(stderr, "%s: mass=%.17g invweight0=%.17g nv=%d solver=%d\n", mazeName,
            m->body_mass[1], m->body_invweight0[2], m->nv, m->opt.solver);

    // 1. random actions from a random free cell, 150 steps
    for (int ep = 0; ep < 2; ep++) {
      int r, c; pickFree(&r, &c);
      setState(r + uni(-.1, .1), c + uni(-.1, .1), uni(-.1, .1), uni(-.1, .1));
      for (int t = 0; t < 150; t++) envStep(ep ? "random1" : "random0", t, uni(-1.2, 1.2), uni(-1.2, 1.2));
    }
    // 2. head-on at full speed into a wall in each direction, then push on
    int dirs[4][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
    for (int q = 0; q < 4; q++) {
      int r, c;
      if (!findFreeNextToWall(dirs[q][0], dirs[q][1], &r, &c, (int)k)) continue;
      char name[32]; snprintf(name, sizeof name, "headon%d", q);
      setState(r, c, 5 * dirs[q][0], 5 * dirs[q][1]);
      for (int t = 0; t < 40; t++) envStep(name, t, dirs[q][0], dirs[q][1]);
    }
    // 3. sliding along a wall: push into it and sideways
    for (int q = 0; q < 4; q++) {
      int r, c;
      if (!findFreeNextToWall(dirs[q][0], dirs[q][1], &r, &c, 0)) continue;
      char name[32]; snprintf(name, sizeof name, "slide%d", q);
      setState(face(r, dirs[q][0]) - dirs[q][0] * 0.1, face(c, dirs[q][1]) - dirs[q][1] * 0.1, 1.0 * dirs[q][1] + 0.5 * dirs[q][0], 1.0 * dirs[q][0]);
      for (int t = 0; t < 60; t++) {
        double side = t < 30 ? 1 : -1;
        envStep(name, t, dirs[q][0] + side * dirs[q][1], dirs[q][1] + side * dirs[q][0]);
      }
    }
    // 4. diagonal hits into corners at full speed
    for (int q = 0; q < 4; q++) {
      int sr = q & 1 ? 1 : -1, sc = q & 2 ? 1 : -1;
      int found = 0, r = 0, c = 0;
      for (int i = 1; i < nrows - 1 && !found; i++)
        for (int j = 1; j < ncols - 1 && !found; j++)
          if (grid[i][j] != '#' && grid[i + sr][j] == '#' && grid[i][j + sc] == '#') { r = i; c = j; found = 1; }
      if (!found) continue;
      char name[32]; snprintf(name, sizeof name, "corner%d", q);
      setState(r, c, 5 * sr, 4 * sc);
      for (int t = 0; t < 40; t++) envStep(name, t, sr, sc);
    }
    // 5. starts touching or slightly inside walls, at rest
    for (int q = 0; q < 4; q++) {
      int r, c;
      if (!findFreeNextToWall(dirs[q][0], dirs[q][1], &r, &c, 0)) continue;
      char name[32]; snprintf(name, sizeof name, "touch%d", q);
      // penetration -0.001 (inside the margin), 0, 0.002, 0.005
      double pen[4] = {-0.001, 0, 0.002, 0.005};
      setState(face(r, dirs[q][0]) - dirs[q][0] * (0.1 - pen[q]), face(c, dirs[q][1]) - dirs[q][1] * (0.1 - pen[q]), 0, 0);
      for (int t = 0; t < 30; t++) envStep(name, t, 0, 0);
    }
    // 6. single steps from random states near walls, random velocities
    //    (some beyond the clip) and random actions (some beyond the clip)
    for (int t = 0; t < 250; t++) {
      int r, c; pickFree(&r, &c);
      setState(r + uni(-.63, .23), c + uni(-.63, .23), uni(-7, 7), uni(-7, 7));
      envStep("single", t, uni(-1.5, 1.5), uni(-1.5, 1.5));
    }
    mj_deleteData(d);
    mj_deleteModel(m);
  }
  return 0;
}
